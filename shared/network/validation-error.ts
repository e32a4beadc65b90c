// What the caller got wrong in a request, and whether it is over one of the limits in
// limits.ts ('over-limit') or otherwise wrong ('invalid'); the API chooses the status.

import type { z } from 'zod';

// The parts of a zod issue the message needs; fastify-type-provider-zod's validation entries carry
// the same fields (code as `keyword`, path as `instancePath`, the rest in `params`).
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  errors?: readonly (readonly IssueLike[])[]; // invalid_union: the issues of each alternative
}

// Issues listed in one message; the rest are counted.
const MAX_LISTED_ISSUES = 5;

export type ValidationKind = 'invalid' | 'over-limit';

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly kind: ValidationKind = 'invalid',
  ) {
    super(message);
    this.name = 'ValidationError';
  }

  // `input` is the value that was parsed: the message names array elements that have a `name`
  // (layers, network inputs) by it. `root` is where that value sits in the request body.
  static fromIssues(issues: readonly IssueLike[], input: unknown, root = ''): ValidationError {
    const flat = issues.map((issue) => deepestAlternative(issue));
    const listed = flat.slice(0, MAX_LISTED_ISSUES).map((issue) => {
      const where = describePath(issue.path, input, root);
      return where ? `${where}: ${issue.message}` : issue.message;
    });
    if (flat.length > listed.length) listed.push(`and ${flat.length - listed.length} more`);
    // Every size limit in these schemas is a maximum (.max or a too_big issue), and no other
    // check reports too_big, so too_big means "over a limit".
    return new ValidationError(listed.join('; '), flat.some((issue) => issue.code === 'too_big') ? 'over-limit' : 'invalid');
  }
}

// Parses `json` with `schema`, throwing a ValidationError that names the place of each problem.
export function parseOrThrow<S extends z.ZodType>(schema: S, json: unknown, root = ''): z.output<S> {
  const result = schema.safeParse(json);
  if (!result.success) throw ValidationError.fromIssues(result.error.issues as IssueLike[], json, root);
  return result.data;
}

// A union's own message is only "Invalid input"; the alternative that got furthest into the value
// (the longest path) is the one the caller meant, so report its first issue instead.
function deepestAlternative(issue: IssueLike): IssueLike {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  let best: IssueLike | undefined;
  for (const alternative of issue.errors) {
    const first = alternative[0];
    if (first && (!best || first.path.length > best.path.length)) best = first;
  }
  if (!best) return issue;
  const inner = deepestAlternative(best);
  return { ...inner, path: [...issue.path, ...inner.path] };
}

// ['layers', 2, 'weights', 7] → 'layers[2] ("fc1").weights[7]'
function describePath(path: readonly PropertyKey[], input: unknown, root: string): string {
  let text = root;
  let value: unknown = input;
  for (const key of path) {
    const index = typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : undefined;
    if (index !== undefined && Array.isArray(value)) {
      value = value[index];
      text += `[${index}]`;
      const name = (value as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && name !== '') text += ` (${JSON.stringify(name)})`;
    } else {
      value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
      text += text ? `.${String(key)}` : String(key);
    }
  }
  return text;
}
