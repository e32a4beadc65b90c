// One binary layout for float32 data described by JSON, as the farm keeps it in Redis (build inputs,
// inference tensors): u32 LE length of a JSON header, the header, zero padding to a multiple of 4,
// then the raw little-endian float32 arrays back to back. Decoding gives views into the value, not
// copies.

export interface Frame {
  header: string;
  // `count` floats from `offset` bytes into the data; throws naming `what` when they run past the end.
  floats(offset: number, count: number): Float32Array;
}

// `header` places the arrays by their byte offsets into the data, in the order given.
export function encodeFrame(header: string, arrays: readonly Float32Array[]): Buffer {
  const dataBytes = arrays.reduce((sum, array) => sum + array.byteLength, 0);
  const headerBytes = Buffer.byteLength(header);
  const dataStart = align4(4 + headerBytes);
  // Unfilled: every byte but the padding is written below.
  const out = Buffer.allocUnsafe(dataStart + dataBytes);
  out.writeUInt32LE(headerBytes, 0);
  out.write(header, 4, 'utf8');
  out.fill(0, 4 + headerBytes, dataStart);
  let offset = dataStart;
  for (const array of arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += array.byteLength;
  }
  return out;
}

export function decodeFrame(stored: Buffer, what: string): Frame {
  // Float32Array views need a 4-aligned start; a Buffer from the Redis client need not have one.
  const value = stored.byteOffset % 4 === 0 ? stored : Buffer.from(stored);
  if (value.byteLength < 4) throw new Error(`${what} is truncated (length)`);
  const headerBytes = value.readUInt32LE(0);
  const dataStart = align4(4 + headerBytes);
  if (dataStart > value.byteLength) throw new Error(`${what} is truncated (header)`);
  return {
    header: value.toString('utf8', 4, 4 + headerBytes),
    floats(offset, count) {
      if (dataStart + offset + count * 4 > value.byteLength) throw new Error(`${what} is truncated (data)`);
      return new Float32Array(value.buffer, value.byteOffset + dataStart + offset, count);
    },
  };
}

function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
