// Tensor data as requests carry it: a flat row-major array of numbers, or { base64 } of
// little-endian float32. Used by network weights/constants and by inference inputs.
import { z } from 'zod';
import type { Tensor } from '../engine/types.js';
import { base64DecodedLength, decodeBase64, type DecodedBase64 } from './base64.js';
import { MAX_DIMS, MAX_TENSOR_ELEMENTS, base64Length } from './limits.js';
import { ValidationError } from './validation-error.js';

export const floatDataSchema = z
  .union([
    z.array(z.number()).max(MAX_TENSOR_ELEMENTS),
    z.strictObject({
      base64: z.string().max(base64Length(MAX_TENSOR_ELEMENTS * 4)).describe('little-endian float32 values, base64'),
    }),
  ])
  .describe('row-major float32 values: an array of numbers, or { base64 } of little-endian float32');
export type FloatDataJson = z.infer<typeof floatDataSchema>;

// Bytes the data takes as float32, known before decoding it.
export function floatDataBytes(data: FloatDataJson): number {
  return Array.isArray(data) ? data.length * 4 : base64DecodedLength(data.base64);
}

// `where` names the data in messages (e.g. 'layers[0] ("fc").weights'); `decoded`: the request's
// base64 strings decoded while its body was read.
export function decodeFloatData(data: FloatDataJson, where: string, decoded?: DecodedBase64): Float32Array {
  let values: Float32Array;
  if (Array.isArray(data)) {
    values = Float32Array.from(data);
  } else {
    const bytes = decodeBase64(data.base64, where, decoded);
    if (bytes.length % 4 !== 0) {
      throw new ValidationError(`${where}: base64 decodes to ${bytes.length} bytes, not a whole number of float32 values (a multiple of 4)`);
    }
    if (bytes.length / 4 > MAX_TENSOR_ELEMENTS) {
      throw new ValidationError(`${where}: ${bytes.length / 4} values, over the limit of ${MAX_TENSOR_ELEMENTS}`, 'over-limit');
    }
    // Viewed where the Buffer starts at a multiple of 4 (large ones always do: hundreds of MB not
    // copied), copied where it does not. The bytes are little-endian, as Float32Array is on every
    // host Node supports.
    if (bytes.byteOffset % 4 === 0) {
      values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    } else {
      values = new Float32Array(bytes.length / 4);
      new Uint8Array(values.buffer).set(bytes);
    }
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const original = Array.isArray(data) ? String(data[i]) : String(values[i]);
      throw new ValidationError(`${where}[${i}]: ${original} is not a finite float32 value`);
    }
  }
  return values;
}

export const dimsSchema = z.array(z.number().int().min(1).max(MAX_TENSOR_ELEMENTS)).min(1).max(MAX_DIMS);

export const tensorJsonSchema = z
  .strictObject({ shape: dimsSchema, data: floatDataSchema })
  .describe('a float32 tensor: its shape and its values in row-major order');
export type TensorJson = z.infer<typeof tensorJsonSchema>;

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

// A tensor from its (schema-checked) JSON; the data must hold exactly as many values as the shape.
export function tensorFromJson(json: TensorJson, where: string): Tensor {
  const count = elementCount(json.shape);
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new ValidationError(`${where}.shape: [${json.shape}] has ${count} elements, over the limit of ${MAX_TENSOR_ELEMENTS}`, 'over-limit');
  }
  const data = decodeFloatData(json.data, `${where}.data`);
  if (data.length !== count) {
    throw new ValidationError(`${where}: shape [${json.shape}] needs ${count} values, data has ${data.length}`);
  }
  return { shape: [...json.shape], data };
}
