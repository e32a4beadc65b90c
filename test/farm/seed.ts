// The seed (shared/seed/README.md) as build requests: input (1,3,4,5) holding 0..59, weights
// +1 for output 0 and −1 for output 1 → [1770, −1770]; in both of its forms.
export const seedInput = { shape: [1, 3, 4, 5], data: Array.from({ length: 60 }, (_, i) => i) };
const weights = [...Array(60).fill(1), ...Array(60).fill(-1)];

export const seedFullyConnected = {
  network: {
    inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
    layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights, bias: [0, 0] }],
  },
};

export const seedMatrixMultiply = {
  network: {
    inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
    layers: [
      { name: 'flat', type: 'reshape', input: 'x', shape: [0, -1] },
      { name: 'W', type: 'constant', shape: [2, 60], values: weights },
      { name: 'mm', type: 'matrixMultiply', inputs: ['flat', 'W'], transpose: [false, true] },
      { name: 'b', type: 'constant', shape: [1, 2], values: [0, 0] },
      { name: 'out', type: 'elementWise', inputs: ['mm', 'b'], op: 'sum' },
    ],
    outputs: ['out'],
  },
};

// A float64 reference of y = x·Wᵀ + b for random FC networks.
export function referenceFc(x: number[], batch: number, w: number[], b: number[], outputs: number): number[] {
  const k = x.length / batch;
  const y: number[] = [];
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outputs; o++) {
      let sum = b[o];
      for (let i = 0; i < k; i++) sum += x[n * k + i] * w[o * k + i];
      y.push(sum);
    }
  }
  return y;
}

export function randomValues(count: number): number[] {
  return Array.from({ length: count }, () => Math.fround(Math.random() * 2 - 1));
}

export function assertClose(actual: number[], expected: number[], relative = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  const scale = Math.max(1, ...expected.map(Math.abs));
  actual.forEach((value, i) => {
    if (!(Math.abs(value - expected[i]) <= relative * scale)) throw new Error(`[${i}]: ${value} ≠ ${expected[i]}`);
  });
}
