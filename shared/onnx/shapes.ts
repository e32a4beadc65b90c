// Shape rules of the imported ops. A dimension of -1 is the dynamic batch (only ever dimension 0).

// Numpy broadcasting (shapes aligned on the right); undefined when the shapes don't broadcast or
// the dynamic batch would leave dimension 0.
export function broadcast(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const [pa, pb] = [padRank(a, rank), padRank(b, rank)];
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    if (pa[i] === pb[i] || pb[i] === 1) out.push(pa[i]);
    else if (pa[i] === 1) out.push(pb[i]);
    else return undefined;
  }
  return out.indexOf(-1) > 0 ? undefined : out;
}

// Leading 1s up to `rank` (numpy aligns shapes of different ranks on the right).
function padRank(shape: readonly number[], rank: number): number[] {
  return [...Array<number>(Math.max(0, rank - shape.length)).fill(1), ...shape];
}

export function product(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

// [rows, cols] row-major → [cols, rows]
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

// Output shape of ONNX Reshape (allowzero = 0: 0 copies the input's dimension, -1 is inferred), or
// a message saying why it is not one trtfarm can express.
export function reshapeTarget(input: readonly number[], target: readonly number[]): number[] | string {
  if (target.filter((d) => d === -1).length > 1) return `shape [${target}] has more than one -1`;
  const out: number[] = [];
  for (let i = 0; i < target.length; i++) {
    const t = target[i];
    if (t === 0) {
      if (i >= input.length) return `shape [${target}] copies dimension ${i} (0), which the input [${input}] lacks`;
      out.push(input[i]);
    } else if (t === -1 || t > 0) {
      out.push(t);
    } else {
      return `shape [${target}] has the invalid dimension ${t}`;
    }
  }
  const dynamic = input[0] === -1;
  const inputStatic = product(dynamic ? input.slice(1) : input);
  const copiesBatch = dynamic && target[0] === 0;
  const inferAt = target.indexOf(-1);
  const known = product(out.filter((d, i) => i !== inferAt && !(copiesBatch && i === 0)));
  if (!dynamic) {
    if (inferAt < 0) return known === inputStatic ? out : `shape [${target}] holds ${known} elements, the input [${input}] ${inputStatic}`;
    if (inputStatic % known) return `shape [${target}] does not divide the input [${input}]`;
    out[inferAt] = inputStatic / known;
    return out;
  }
  // The input's batch is dynamic: it must end up in dimension 0 of the result, either copied (0)
  // or folded into an inferred dimension 0.
  if (copiesBatch && inferAt < 0) return known === inputStatic ? out : `shape [${target}] does not match the input [${input}] per batch item`;
  if (copiesBatch) {
    if (inputStatic % known) return `shape [${target}] does not divide the input [${input}]`;
    out[inferAt] = inputStatic / known;
    return out;
  }
  if (inferAt === 0 && known === inputStatic) return out;
  return `shape [${target}] of the input [${input}] must keep the dynamic batch, unscaled, in dimension 0 (0 or -1 there, the rest holding ${inputStatic} elements)`;
}
