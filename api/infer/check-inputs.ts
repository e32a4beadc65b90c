// Inference inputs against the plan's meta, in the API, so that a wrong request is answered
// 4xx at once and never reaches a queue: names, counts, ranks, fixed dimensions, and the batch
// within the profile (one batch for all inputs).
import type { Tensor } from '../../shared/engine/types.js';
import type { TensorSet } from '../../shared/queue/wire-tensor.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import { ValidationError } from '../../shared/network/validation-error.js';

// `decode` turns one input as the request gave it (JSON, or bytes of the v2 binary extension)
// into its float32 tensor, checking its values against its shape; it runs after the shape checks.
export function checkInputs<T extends { shape: number[] }>(
  meta: PlanMeta,
  inputs: Record<string, T>,
  decode: (input: T, where: string) => Tensor,
): TensorSet {
  const expected = meta.inputs.map((input) => input.name);
  // Own keys only: a name like "toString" or "constructor" is inherited by every object.
  const missing = expected.filter((name) => !Object.hasOwn(inputs, name));
  const unknown = Object.keys(inputs).filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    const problems = [
      ...(missing.length ? [`missing ${missing.map((n) => JSON.stringify(n)).join(', ')}`] : []),
      ...(unknown.length ? [`unknown ${unknown.map((n) => JSON.stringify(n)).join(', ')}`] : []),
    ];
    throw new ValidationError(`inputs: ${problems.join('; ')} (the plan takes ${expected.map((n) => JSON.stringify(n)).join(', ')})`);
  }

  let batch: { value: number; from: string } | undefined;
  const tensors: [string, Tensor][] = [];
  for (const info of meta.inputs) {
    const where = `inputs.${info.name}`;
    const json = inputs[info.name];
    if (json.shape.length !== info.shape.length) {
      throw new ValidationError(`${where}.shape: [${json.shape}] has ${json.shape.length} dimensions, the plan's input is [${info.shape}]`);
    }
    json.shape.forEach((dim, d) => {
      if (info.shape[d] !== -1 && dim !== info.shape[d]) {
        throw new ValidationError(`${where}.shape: dimension ${d} is ${dim}, the plan's input is [${info.shape}]`);
      }
    });
    if (info.shape[0] === -1) {
      const n = json.shape[0];
      if (n < meta.batch.min || n > meta.batch.max) {
        throw new ValidationError(`${where}.shape: batch ${n} is outside the plan's profile (${meta.batch.min}..${meta.batch.max})`);
      }
      if (batch && batch.value !== n) {
        throw new ValidationError(`${where}.shape: batch ${n} differs from ${batch.from}'s batch ${batch.value}`);
      }
      batch = { value: n, from: info.name };
    }
    tensors.push([info.name, decode(json, where)]);
  }
  // fromEntries defines own properties, so even a name like "__proto__" stays a plain key.
  return Object.fromEntries(tensors);
}
