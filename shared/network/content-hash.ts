// A content hash of a JSON-like value: sha256 over a canonical serialization (object keys sorted,
// undefined members left out as JSON does, float arrays as their raw bytes), so that equal content
// gives an equal hash however it was written (key order, numbers or base64).
import { createHash, type Hash } from 'node:crypto';

export function contentHash(value: unknown): string {
  const hash = createHash('sha256');
  write(hash, value);
  return hash.digest('hex');
}

// Feeds `value`'s canonical serialization into `hash`: for hashing a large shared part once and
// many small parts after it (Hash.copy()).
export function writeCanonical(hash: Hash, value: unknown): void {
  write(hash, value);
}

function write(hash: Hash, value: unknown): void {
  if (value instanceof Float32Array) {
    // Tagged and length-prefixed, so no byte string can pass for other content.
    hash.update(`f32:${value.length}:`);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    hash.update('[');
    value.forEach((item, i) => {
      if (i) hash.update(',');
      write(hash, item === undefined ? null : item);
    });
    hash.update(']');
  } else if (value !== null && typeof value === 'object') {
    hash.update('{');
    const keys = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined).sort();
    keys.forEach((key, i) => {
      hash.update(`${i ? ',' : ''}${JSON.stringify(key)}:`);
      write(hash, (value as Record<string, unknown>)[key]);
    });
    hash.update('}');
  } else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) {
    hash.update(JSON.stringify(value));
  } else {
    throw new TypeError(`contentHash: cannot hash a ${typeof value}`);
  }
}
