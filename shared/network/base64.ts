import { ValidationError } from './validation-error.js';

// Base64 strings of a request already decoded (api/builds/build-body.ts), by the markers that
// stand for them in its parsed body.
export type DecodedBase64 = ReadonlyMap<string, Buffer>;

// "\u0000" cannot occur in base64, so no real value is taken for a marker. A marker says how many
// bytes it stands for, so that limits on sizes hold before anything is looked up; one written by
// a client is not in its request's table, and is refused as not valid base64.
const MARKER_PREFIX = '\u0000trtfarm-base64:';

export function base64Marker(index: number, bytes: number): string {
  return `${MARKER_PREFIX}${index}:${bytes}`;
}

// Strict base64 decoding: Buffer.from silently skips characters outside the alphabet, which would
// turn a damaged payload into different numbers instead of an error. `decoded`: a marker's bytes.
export function decodeBase64(text: string, where: string, decoded?: DecodedBase64): Buffer {
  const bytes = decoded?.get(text) ?? checkedBase64(text);
  if (!bytes) throw new ValidationError(`${where}: not valid base64 (standard alphabet, padded to a multiple of 4 characters, no line breaks)`);
  return bytes;
}

// The bytes of valid base64 text, or undefined.
export function checkedBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return text.length % 4 === 0 && bytes.length === (text.length / 4) * 3 - padding ? bytes : undefined;
}

// Bytes that base64 text of this length decodes to, without decoding it.
export function base64DecodedLength(text: string): number {
  if (text.startsWith(MARKER_PREFIX)) return Number(text.slice(text.lastIndexOf(':') + 1));
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor(text.length / 4) * 3 - padding);
}

// The contract's { base64 } form of float32 data: its little-endian bytes (x86 and Arm are).
export function float32ToBase64(data: Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}
