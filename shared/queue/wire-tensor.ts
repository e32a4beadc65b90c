// The binary layout of an inference job's tensors in Redis (its inputs, written by the API; its
// outputs, written by the worker): a list of items (one per batched request), each a set of
// named float32 tensors.
//
// Layout: float-frame.ts's, with the header [{ "<name>": [shape, byte offset] }, …], one object
// per item.
import type { Tensor } from '../engine/types.js';
import { decodeFrame, encodeFrame } from './float-frame.js';

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
  return encodeFrame(JSON.stringify(header), items.flatMap((item) => Object.values(item).map((tensor) => tensor.data)));
}

export function decodeTensorSets(stored: Buffer): TensorSet[] {
  const frame = decodeFrame(stored, 'tensor value');
  const header = JSON.parse(frame.header) as Record<string, [number[], number]>[];
  // Own properties only, and "__proto__" a plain key: names are the caller's text.
  return header.map((item) =>
    Object.fromEntries(
      Object.entries(item).map(([name, [shape, offset]]) => {
        const count = shape.reduce((product, dim) => product * dim, 1);
        return [name, { shape, data: frame.floats(offset, count) }];
      }),
    ),
  );
}
