// A network whose fp32 plan meets fp32's tolerance while its fp16 and bf16 plans cannot meet
// theirs (1e-2): y = a·s − b·s with a = 32 + 2⁻⁶ (halfway between two fp16 values: it rounds
// to 32, and bf16 keeps less still) and b = 32, s = 1 + 0.005·Σx ≈ 1. The reference gives
// y = 2⁻⁶·s ≈ 0.0156; the 16-bit plans give 0. fp32 keeps a exactly and its rounding error
// stays near 4e-6 (two products of magnitude 32).
import type { NetworkSpec } from '../../shared/network/spec.js';

export function precisionTrap(): NetworkSpec {
  return {
    inputs: [{ name: 'x', shape: [-1, 60] }],
    layers: [
      { name: 's', type: 'fullyConnected', inputs: ['x'], outputs: 1, weights: new Float32Array(60).fill(0.005), bias: Float32Array.of(1) },
      { name: 'a', type: 'fullyConnected', inputs: ['s'], outputs: 1, weights: Float32Array.of(32 + 2 ** -6) },
      { name: 'b', type: 'fullyConnected', inputs: ['s'], outputs: 1, weights: Float32Array.of(32) },
      { name: 'y', type: 'elementWise', inputs: ['a', 'b'], op: 'sub' },
    ],
    outputs: ['y'],
  };
}

export const trapProfile = { x: { min: [1, 60], opt: [4, 60], max: [8, 60] } };

// A NetworkSpec as the JSON a request carries (float arrays as numbers).
export function networkJson(network: NetworkSpec): unknown {
  return JSON.parse(JSON.stringify(network, (_key, value: unknown) => (value instanceof Float32Array ? Array.from(value) : value)));
}

// Passes every check before queueing, and builds in fp32 and bf16; its fp16 build fails in the
// worker: the folded constant 300 × 300 is outside fp16's range.
export function failsInFp16(): unknown {
  return {
    inputs: [{ name: 'x', shape: [-1, 1] }],
    layers: [
      { name: 'a', type: 'constant', shape: [1, 1], values: [300] },
      { name: 'b', type: 'constant', shape: [1, 1], values: [300] },
      { name: 'ab', type: 'elementWise', inputs: ['a', 'b'], op: 'prod' },
      { name: 'y', type: 'elementWise', inputs: ['x', 'ab'], op: 'sum' },
    ],
  };
}
