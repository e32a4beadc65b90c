// The binary layout of an inference job's tensors in Redis (its inputs, written by the API; its
// outputs, written by the worker): a list of items (one per batched request), each a set of
// named float32 tensors.
//
// Layout: u32 LE length of a JSON header, the header — [{ "<name>": [shape, byte offset] }, …],
// one object per item —, zero padding to a multiple of 4, then the raw little-endian float32
// data. Decoding gives views into the value, not copies.
import type { Tensor } from '../engine/types.js';

export type TensorSet = Record<string, Tensor>;

export function encodeTensorSets(items: readonly TensorSet[]): Buffer {
  let dataBytes = 0;
  const header = items.map((item) =>
    Object.fromEntries(
      Object.entries(item).map(([name, tensor]) => {
        const place = [tensor.shape, dataBytes];
        dataBytes += tensor.data.byteLength;
        return [name, place];
      }),
    ),
  );
  const text = JSON.stringify(header);
  const headerBytes = Buffer.byteLength(text);
  const dataStart = align4(4 + headerBytes);
  const out = Buffer.allocUnsafe(dataStart + dataBytes);
  out.writeUInt32LE(headerBytes, 0);
  out.write(text, 4, 'utf8');
  out.fill(0, 4 + headerBytes, dataStart);
  let offset = dataStart;
  for (const item of items) {
    for (const tensor of Object.values(item)) {
      out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), offset);
      offset += tensor.data.byteLength;
    }
  }
  return out;
}

export function decodeTensorSets(stored: Buffer): TensorSet[] {
  // Float32Array views need a 4-aligned start; a Buffer from the Redis client need not have one.
  const value = stored.byteOffset % 4 === 0 ? stored : Buffer.from(stored);
  if (value.byteLength < 4) throw new Error('tensor value is truncated (length)');
  const headerBytes = value.readUInt32LE(0);
  const dataStart = align4(4 + headerBytes);
  if (dataStart > value.byteLength) throw new Error('tensor value is truncated (header)');
  const header = JSON.parse(value.toString('utf8', 4, 4 + headerBytes)) as Record<string, [number[], number]>[];
  // Own properties only, and "__proto__" a plain key: names are the caller's text.
  return header.map((item) =>
    Object.fromEntries(
      Object.entries(item).map(([name, [shape, offset]]) => {
        const count = shape.reduce((product, dim) => product * dim, 1);
        if (dataStart + offset + count * 4 > value.byteLength) throw new Error('tensor value is truncated (data)');
        return [name, { shape, data: new Float32Array(value.buffer, value.byteOffset + dataStart + offset, count) }];
      }),
    ),
  );
}

function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
