// JSON bodies of POST /v1/builds and /v1/sweeps. A large network's body is nearly all base64
// strings (`{ "base64": "…" }` weights, or `"onnx": "…"`): parsed as text, each is copied into a
// JS string twice (the body's text, then JSON.parse's value) and scanned for proto poisoning,
// seconds for a 358 MB body on two cores. Here each such string is found in the raw bytes and
// decoded from them; JSON.parse (Fastify's own, with its proto-poisoning checks and its 400s) runs
// on the rest, a few KB, where each decoded string stands as a short marker. The schema then checks
// the marker like any string, and decodeBase64 (given the request's table) returns its bytes.
// A string the fast path cannot take as it is (escapes, over its schema limit, not valid base64)
// stays in the text: the ordinary checks refuse it with their ordinary messages.
import { isAscii } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { base64Length, MAX_ONNX_BYTES, MAX_TENSOR_ELEMENTS } from '../../shared/network/limits.js';
import { base64Marker, checkedBase64, type DecodedBase64 } from '../../shared/network/base64.js';

// Strings shorter than this are left to JSON.parse: below it the copies cost nothing.
const MIN_DECODED_CHARS = 64 * 1024;
// The keys whose string values are base64, and the schema's limit on each.
const BASE64_KEYS: ReadonlyMap<string, number> = new Map([
  ['base64', base64Length(MAX_TENSOR_ELEMENTS * 4)],
  ['onnx', base64Length(MAX_ONNX_BYTES)],
]);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const decodedByRequest = new WeakMap<FastifyRequest, DecodedBase64>();

// The strings decoded for this request's body, by their markers (empty for other bodies).
export function decodedBase64Of(request: FastifyRequest): DecodedBase64 {
  return decodedByRequest.get(request) ?? new Map();
}

// Replaces the application/json parser of the routes registered in `app`'s context.
export function installBuildBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const { text, decoded } = extractBase64(body);
    if (decoded.size > 0) decodedByRequest.set(request, decoded);
    parse(request, text, done);
  });
}

// The body's text with each large base64 value replaced by a marker, and the markers' bytes.
export function extractBase64(body: Buffer): { text: string; decoded: DecodedBase64 } {
  const decoded = new Map<string, Buffer>();
  const pieces: string[] = [];
  let copiedTo = 0; // body[0, copiedTo) is in pieces
  let key: { start: number; end: number } | undefined; // the last string seen (a key, maybe)
  let backslash = body.indexOf(BACKSLASH); // the first at or after the current string, or -1
  let at = body.indexOf(QUOTE);
  while (at >= 0) {
    const start = at + 1;
    const end = closingQuote(body, start);
    if (end < 0) break; // unterminated: JSON.parse says so
    while (backslash >= 0 && backslash < start) backslash = body.indexOf(BACKSLASH, start);
    const escaped = backslash >= 0 && backslash < end;
    const limit = key && !escaped && end - start >= MIN_DECODED_CHARS && isValueOf(body, key, at) ? BASE64_KEYS.get(body.toString('latin1', key.start, key.end)) : undefined;
    if (limit !== undefined && end - start <= limit) {
      const bytes = checkedBase64(body.toString('latin1', start, end));
      if (bytes) {
        const marker = base64Marker(decoded.size, bytes.length);
        decoded.set(marker, bytes);
        pieces.push(body.toString('utf8', copiedTo, start), JSON.stringify(marker).slice(1, -1));
        copiedTo = end;
      }
    }
    key = { start, end };
    at = body.indexOf(QUOTE, end + 1);
  }
  // An all-ASCII body read as latin1: a plain copy, where utf8 decoding takes seconds.
  if (decoded.size === 0) return { text: isAscii(body) ? body.toString('latin1') : body.toString('utf8'), decoded };
  pieces.push(body.toString('utf8', copiedTo));
  return { text: pieces.join(''), decoded };
}

// The index of the quote that ends the string starting at `start`, or -1.
function closingQuote(body: Buffer, start: number): number {
  let end = body.indexOf(QUOTE, start);
  while (end >= 0) {
    let backslashes = 0;
    while (body[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = body.indexOf(QUOTE, end + 1);
  }
  return -1;
}

// Whether only whitespace and one colon lie between the string `key` and the quote at `quote`.
function isValueOf(body: Buffer, key: { end: number }, quote: number): boolean {
  let colons = 0;
  for (let i = key.end + 1; i < quote; i++) {
    const byte = body[i];
    if (byte === 0x3a) colons++;
    else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return colons === 1;
}
