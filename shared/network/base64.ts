import { ValidationError } from './validation-error.js';

// Strict base64 decoding: Buffer.from silently skips characters outside the alphabet, which would
// turn a damaged payload into different numbers instead of an error.
export function decodeBase64(text: string, where: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (text.length % 4 !== 0 || bytes.length !== (text.length / 4) * 3 - padding) {
    throw new ValidationError(`${where}: not valid base64 (standard alphabet, padded to a multiple of 4 characters, no line breaks)`);
  }
  return bytes;
}

// Bytes that base64 text of this length decodes to, without decoding it.
export function base64DecodedLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor(text.length / 4) * 3 - padding);
}

// The contract's { base64 } form of float32 data: its little-endian bytes (x86 and Arm are).
export function float32ToBase64(data: Float32Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}
