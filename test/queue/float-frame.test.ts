// The binary layout of float data in Redis (shared/queue/float-frame.ts): arrays come back equal, as
// views, whatever the alignment of the value they are read from; a cut value is refused, never read past.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import { decodeFrame, encodeFrame } from '../../shared/queue/float-frame.js';

function randomFloats(count: number): Float32Array {
  return Float32Array.from({ length: count }, () => Math.random() * 2 - 1);
}

describe('float frame', () => {
  it('gives back the header and every array, from an aligned and from an unaligned buffer', () => {
    const arrays = [randomFloats(5), randomFloats(1), randomFloats(17)];
    // A view at a non-zero offset into a larger buffer, as a network's weights can be.
    const backing = randomFloats(40);
    arrays.push(backing.subarray(3, 11));
    const header = JSON.stringify({ note: 'é, a multi-byte header', sizes: arrays.map((a) => a.length) });
    const encoded = encodeFrame(header, arrays);
    const unaligned = Buffer.concat([randomBytes(3), encoded]).subarray(3);
    for (const value of [encoded, unaligned]) {
      const frame = decodeFrame(value, 'test value');
      assert.equal(frame.header, header);
      let offset = 0;
      for (const array of arrays) {
        assert.deepEqual(frame.floats(offset, array.length), array);
        offset += array.byteLength;
      }
    }
  });

  it('refuses a value cut in its length, its header or its data, naming what it is', () => {
    const encoded = encodeFrame(JSON.stringify({ n: 8 }), [randomFloats(8)]);
    assert.throws(() => decodeFrame(encoded.subarray(0, 3), 'build input'), /^Error: build input is truncated \(length\)$/);
    assert.throws(() => decodeFrame(encoded.subarray(0, 8), 'build input'), /^Error: build input is truncated \(header\)$/);
    const cut = decodeFrame(encoded.subarray(0, encoded.length - 4), 'tensor value');
    assert.throws(() => cut.floats(0, 8), /^Error: tensor value is truncated \(data\)$/);
    assert.equal(cut.floats(0, 7).length, 7);
  });
});
