// Random damage to a valid request, for the property-based tests: each mutation picks one place
// in the JSON tree (by index into its places, modulo their count) and replaces it, or deletes it.
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Mutation {
  at: number;
  value: Json | undefined; // undefined: delete
}

// What a place may become: another type, an edge value, text, a small structure.
export const replacement: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(null, true, 0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, '', 'x', 'fc', '-1'),
  fc.integer({ min: -3, max: 70 }),
  fc.string({ maxLength: 300 }),
  fc.array(fc.integer({ min: -2, max: 9 }), { maxLength: 10 }),
  fc.record({ base64: fc.oneof(fc.base64String({ maxLength: 48 }), fc.string({ maxLength: 10 })) }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(fc.record({ at: fc.nat(), value: replacement }), { maxLength: 3 });

// Every place of `value`, the root first; a long array counts as itself and its first 3 entries.
function places(value: Json, path: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(path);
  if (Array.isArray(value)) value.slice(0, 3).forEach((item, i) => places(item, [...path, i], into));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) places(item, [...path, key], into);
  return into;
}

export function mutate(json: Json, list: readonly Mutation[]): Json | undefined {
  let result: Json | undefined = structuredClone(json);
  for (const { at, value } of list) {
    if (result === undefined) return result;
    const all = places(result);
    const path = all[at % all.length];
    if (path.length === 0) {
      result = value;
      continue;
    }
    let parent = result as Record<string | number, Json>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
    const last = path[path.length - 1];
    if (value !== undefined) parent[last] = value;
    else if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  }
  return result;
}
