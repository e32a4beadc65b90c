import type { Tensor } from '../engine/types.js';
import { float32ToBase64 } from '../network/base64.js';
import type { WireTensor } from './jobs.js';

export function toWire(tensor: Tensor): WireTensor {
  return { shape: tensor.shape, base64: float32ToBase64(tensor.data) };
}

export function fromWire(wire: WireTensor): Tensor {
  const bytes = Buffer.from(wire.base64, 'base64');
  // Copy into an aligned buffer: a Buffer's offset in Node's pool need not be a multiple of 4.
  const data = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(data.buffer).set(bytes);
  return { shape: wire.shape, data };
}
