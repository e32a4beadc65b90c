// The seed (../shared/seed): input (1,3,4,5) holding 0..59, FC weights +1 for output 0 and -1
// for output 1 → [1770, -1770]. Both of the contract's forms, as the addon receives them.
import type { NetworkSpec } from '../../shared/network/spec.js';

export const SEED_EXPECTED = [1770, -1770];

export function seedWeights(): Float32Array {
  return Float32Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : -1));
}

export function seedInput(batch = 1): Float32Array {
  return Float32Array.from({ length: 60 * batch }, (_, i) => i % 60);
}

// One fullyConnected layer; output (N, 2, 1, 1). batch -1 makes it dynamic.
export function seedFullyConnected(batch = 1): NetworkSpec {
  return {
    inputs: [{ name: 'x', shape: [batch, 3, 4, 5] }],
    layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: seedWeights(), bias: new Float32Array(2) }],
  };
}

// reshape [0,-1] → constant W [2,60] → matrixMultiply (transpose b) → constant b [1,2] → sum; output (N, 2).
export function seedMatrixMultiply(batch = 1): NetworkSpec {
  return {
    inputs: [{ name: 'x', shape: [batch, 3, 4, 5] }],
    layers: [
      { name: 'flat', type: 'reshape', shape: [0, -1] },
      { name: 'W', type: 'constant', shape: [2, 60], values: seedWeights() },
      { name: 'xw', type: 'matrixMultiply', inputs: ['flat', 'W'], transpose: [false, true] },
      { name: 'b', type: 'constant', shape: [1, 2], values: new Float32Array(2) },
      { name: 'y', type: 'elementWise', inputs: ['xw', 'b'], op: 'sum' },
    ],
    outputs: ['y'],
  };
}
