// A float64 evaluator of a NetworkSpec, written from the contract's semantics alone (it shares
// nothing with the native code), for checking the engine's outputs: by the tests, and by the
// worker for every plan's report.
import type { LayerSpec, NetworkSpec } from './spec.js';

export interface Tensor64 {
  shape: number[];
  data: Float64Array;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function strides(shape: number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

// Right-aligned broadcast: the offset into `shape` of each element of `out`.
function broadcastOffsets(shape: number[], out: number[]): Int32Array {
  const offsets = new Int32Array(numel(out));
  const pad = out.length - shape.length;
  const inStrides = strides(shape);
  const outStrides = strides(out);
  for (let i = 0; i < offsets.length; i++) {
    let offset = 0;
    for (let d = 0; d < shape.length; d++) {
      const index = Math.floor(i / outStrides[d + pad]) % out[d + pad];
      offset += (shape[d] === 1 ? 0 : index) * inStrides[d];
    }
    offsets[i] = offset;
  }
  return offsets;
}

function broadcastShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[i - (rank - a.length)] ?? 1;
    const db = b[i - (rank - b.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`reference: cannot broadcast ${a} and ${b}`);
    return Math.max(da, db);
  });
}

// erfc to near double precision: a power series in the middle, a continued fraction in the tails.
function erfc(x: number): number {
  if (x < -3) return 2 - erfc(-x);
  if (x >= 3) {
    let t = x;
    for (let k = 80; k >= 1; k--) t = x + k / 2 / t;
    return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
  }
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return 1 - (2 / Math.sqrt(Math.PI)) * sum;
}

export function activate(kind: string, x: number, alpha: number): number {
  switch (kind) {
    case 'relu':
      return x > 0 ? x : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'gelu':
      return 0.5 * x * erfc(-x / Math.SQRT2);
    case 'leakyRelu':
      return x > 0 ? x : alpha * x;
    default:
      throw new Error(`reference: unknown activation ${kind}`);
  }
}

const binary: Record<string, (a: number, b: number) => number> = {
  sum: (a, b) => a + b,
  prod: (a, b) => a * b,
  sub: (a, b) => a - b,
  max: Math.max,
  min: Math.min,
};

function fullyConnected(x: Tensor64, outputs: number, w: Float32Array, bias?: Float32Array): Tensor64 {
  const n = x.shape[0];
  const k = numel(x.shape.slice(1));
  const data = new Float64Array(n * outputs);
  for (let r = 0; r < n; r++)
    for (let o = 0; o < outputs; o++) {
      let acc = bias ? bias[o] : 0;
      for (let i = 0; i < k; i++) acc += x.data[r * k + i] * w[o * k + i];
      data[r * outputs + o] = acc;
    }
  const shape = [n, outputs, ...new Array(x.shape.length - 2).fill(1)];
  return { shape, data };
}

function matrixMultiply(a: Tensor64, b: Tensor64, [ta, tb]: [boolean, boolean]): Tensor64 {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = ta ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = ta ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = tb ? b.shape[rb - 2] : b.shape[rb - 1];
  const lead = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const offA = broadcastOffsets(a.shape.slice(0, -2), lead);
  const offB = broadcastOffsets(b.shape.slice(0, -2), lead);
  const data = new Float64Array(numel(lead) * m * n);
  for (let batch = 0; batch < numel(lead); batch++) {
    const pa = offA[batch] * m * k;
    const pb = offB[batch] * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? a.data[pa + p * m + i] : a.data[pa + i * k + p];
          const bv = tb ? b.data[pb + j * k + p] : b.data[pb + p * n + j];
          acc += av * bv;
        }
        data[(batch * m + i) * n + j] = acc;
      }
  }
  return { shape: [...lead, m, n], data };
}

function reshape(x: Tensor64, spec: number[]): Tensor64 {
  const shape = spec.map((d, i) => (d === 0 ? x.shape[i] : d));
  const inferred = shape.indexOf(-1);
  if (inferred >= 0) shape[inferred] = numel(x.shape) / numel(shape.filter((d) => d !== -1));
  return { shape, data: x.data };
}

function evaluateLayer(layer: LayerSpec, inputs: Tensor64[]): Tensor64 {
  switch (layer.type) {
    case 'fullyConnected':
      return fullyConnected(inputs[0], layer.outputs, layer.weights, layer.bias);
    case 'constant':
      return { shape: [...layer.shape], data: Float64Array.from(layer.values) };
    case 'matrixMultiply':
      return matrixMultiply(inputs[0], inputs[1], layer.transpose ?? [false, false]);
    case 'elementWise': {
      const [a, b] = inputs;
      const shape = broadcastShape(a.shape, b.shape);
      const offA = broadcastOffsets(a.shape, shape);
      const offB = broadcastOffsets(b.shape, shape);
      const f = binary[layer.op];
      return { shape, data: Float64Array.from(offA, (oa, i) => f(a.data[oa], b.data[offB[i]])) };
    }
    case 'activation':
      return { shape: inputs[0].shape, data: inputs[0].data.map((v) => activate(layer.kind, v, layer.alpha ?? 0.01)) };
    case 'reshape':
      return reshape(inputs[0], layer.shape);
  }
}

export function referenceOutputs(
  network: NetworkSpec,
  inputs: Record<string, { shape: number[]; data: ArrayLike<number> }>,
): Record<string, Tensor64> {
  const tensors = new Map<string, Tensor64>();
  for (const input of network.inputs) {
    const given = inputs[input.name];
    tensors.set(input.name, { shape: [...given.shape], data: Float64Array.from(given.data) });
  }
  let previous = network.inputs[0].name;
  for (const layer of network.layers) {
    const names = layer.type === 'constant' ? [] : (layer.inputs ?? [previous]);
    tensors.set(layer.name, evaluateLayer(layer, names.map((name) => tensors.get(name)!)));
    previous = layer.name;
  }
  const outputs = network.outputs ?? [network.layers[network.layers.length - 1].name];
  return Object.fromEntries(outputs.map((name) => [name, tensors.get(name)!]));
}

// Largest absolute difference relative to the reference's magnitude (at least 1): the networks
// the tests build keep intermediate values of order one, so this bounds rounding error fairly.
export function scaledError(got: ArrayLike<number>, want: Tensor64): number {
  return outputErrors(got, want).relErr;
}

// The scaled error above and the largest absolute difference (Infinity for a wrong count or NaN).
export function outputErrors(got: ArrayLike<number>, want: Tensor64): { relErr: number; maxAbsErr: number } {
  if (got.length !== want.data.length) return { relErr: Infinity, maxAbsErr: Infinity };
  let scale = 1;
  for (const v of want.data) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const difference = Math.abs(got[i] - want.data[i]);
    // NaN compares false: caught here rather than lost in Math.max's order.
    if (!(difference <= worst)) worst = Number.isNaN(difference) ? Infinity : difference;
  }
  return { relErr: worst / scale, maxAbsErr: worst };
}
