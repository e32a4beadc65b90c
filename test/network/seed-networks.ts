// The seed's network (input (1,3,4,5), weights ±1 → [1770, -1770]) in the contract's two JSON forms.
import assert from 'node:assert/strict';

import { float32ToBase64 } from '../../shared/network/base64.js';
import { parseNetwork } from '../../shared/network/schema.js';
import { ValidationError } from '../../shared/network/validation-error.js';

export const seedWeights = Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : -1));

export function seedFullyConnectedJson() {
  return {
    inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
    layers: [{ name: 'fc', type: 'fullyConnected', input: 'x', outputs: 2, weights: [...seedWeights], bias: [0, 0] }],
    outputs: ['fc'],
  };
}

export function seedMatrixMultiplyJson() {
  return {
    inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
    layers: [
      { name: 'flat', type: 'reshape', input: 'x', shape: [0, -1] },
      { name: 'W', type: 'constant', shape: [2, 60], values: [...seedWeights] },
      { name: 'xw', type: 'matrixMultiply', inputs: ['flat', 'W'], transpose: [false, true] },
      { name: 'b', type: 'constant', shape: [1, 2], values: [0, 0] },
      { name: 'y', type: 'elementWise', inputs: ['xw', 'b'], op: 'sum' },
    ],
    outputs: ['y'],
  };
}

export function float32Base64(values: ArrayLike<number>): string {
  return float32ToBase64(Float32Array.from(values));
}

// Parses `json` expecting a ValidationError; returns it.
export function rejection(json: unknown): ValidationError {
  try {
    parseNetwork(json);
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    return error;
  }
  assert.fail('the network was accepted');
}
