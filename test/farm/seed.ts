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

export function randomValues(count: number): number[] {
  return Array.from({ length: count }, () => Math.fround(Math.random() * 2 - 1));
}
