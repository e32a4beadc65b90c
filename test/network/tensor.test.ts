import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOrThrow, ValidationError } from '../../shared/network/validation-error.js';
import { tensorFromJson, tensorJsonSchema } from '../../shared/network/tensor.js';
import { float32Base64 } from './seed-networks.js';

function parseTensor(json: unknown) {
  return tensorFromJson(parseOrThrow(tensorJsonSchema, json, 'inputs.x'), 'inputs.x');
}

function rejection(json: unknown): ValidationError {
  try {
    parseTensor(json);
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    return error;
  }
  assert.fail('the tensor was accepted');
}

describe('tensor data', () => {
  it('reads the array and the base64 forms to the same Float32Array', () => {
    const values = Array.from({ length: 6 }, () => Math.fround(Math.random() * 200 - 100));
    const fromArray = parseTensor({ shape: [2, 3], data: values });
    const fromBase64 = parseTensor({ shape: [2, 3], data: { base64: float32Base64(values) } });
    assert.ok(fromArray.data instanceof Float32Array);
    assert.deepEqual(Array.from(fromArray.data), values);
    assert.deepEqual(fromBase64, fromArray);
  });

  it('rejects data whose count does not match the shape, saying both', () => {
    assert.match(rejection({ shape: [2, 3], data: [1, 2, 3, 4, 5] }).message, /^inputs\.x: shape \[2,3\] needs 6 values, data has 5$/);
    assert.match(rejection({ shape: [2], data: { base64: float32Base64([1, 2, 3]) } }).message, /needs 2 values, data has 3/);
  });

  it('rejects a non-positive dimension and a missing shape with the place', () => {
    assert.match(rejection({ shape: [0, 3], data: [] }).message, /^inputs\.x\.shape\[0\]: /);
    assert.match(rejection({ data: [1] }).message, /^inputs\.x\.shape: /);
  });

  it('rejects data that is neither numbers nor { base64 }', () => {
    assert.match(rejection({ shape: [1], data: 'AAAA' }).message, /^inputs\.x\.data: /);
    assert.match(rejection({ shape: [2], data: [1, null] }).message, /^inputs\.x\.data\[1\]: .*expected number/);
  });

  it('answers 413 to a shape of more elements than a tensor may hold', () => {
    const error = rejection({ shape: [4097, 4096], data: [1] });
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /inputs\.x\.shape: \[4097,4096\] has 16781312 elements, over the limit/);
  });
});
