// multipart/form-data requests (what `curl -F` sends) on POST /v1/builds and /v1/sweeps: a part
// `model` holding an ONNX file as it is, or the network JSON, and a part `options` holding the rest
// of the request as JSON. Nothing is base64, and the result is the same normalized request as the
// JSON body's, so the ids are the same. The body limit bounds the model part; the ONNX size limit,
// and every network limit, hold as for JSON.
import { isAscii } from 'node:buffer';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

import { MAX_ONNX_BYTES } from '../../shared/network/limits.js';
import { onnxToNetworkOffThread } from '../../shared/onnx/import-off-thread.js';
import { networkFromJson, networkSchema } from '../../shared/network/schema.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { parseOrThrow, ValidationError } from '../../shared/network/validation-error.js';

// The options of a build with a few hundred profiled variants stay far below this.
const MAX_OPTIONS_BYTES = 1024 * 1024;

export interface Upload<T> {
  network: NetworkSpec;
  options: T;
}

export async function readUpload<S extends z.ZodType>(request: FastifyRequest, optionsSchema: S, bodyLimit: number): Promise<Upload<z.output<S>>> {
  let model: Buffer | undefined;
  let optionsText: string | undefined;
  const parts = request.parts({ limits: { fileSize: bodyLimit, fieldSize: MAX_OPTIONS_BYTES, files: 2, fields: 2, parts: 2 } });
  for await (const part of parts) {
    const value = part.type === 'file' ? await part.toBuffer() : Buffer.from(String(part.value));
    if (part.fieldname === 'model') model = value;
    else if (part.fieldname === 'options') {
      if (value.byteLength > MAX_OPTIONS_BYTES) throw new ValidationError(`options: over ${MAX_OPTIONS_BYTES} bytes`, 'over-limit');
      optionsText = value.toString('utf8');
    } else throw new ValidationError(`unexpected part "${part.fieldname}": give "model" and "options"`);
  }
  if (!model) throw new ValidationError('a multipart request needs a part "model" (an ONNX file or the network JSON)');
  let optionsJson: unknown = {};
  if (optionsText !== undefined && optionsText.trim() !== '') {
    try {
      optionsJson = JSON.parse(optionsText);
    } catch (error) {
      throw new ValidationError(`options: not JSON (${(error as Error).message})`);
    }
  }
  const options = parseOrThrow(optionsSchema, optionsJson, 'options');
  return { network: await modelToNetwork(model), options };
}

// The network JSON starts with "{" (after any whitespace); anything else is read as ONNX.
async function modelToNetwork(model: Buffer): Promise<NetworkSpec> {
  const first = model.findIndex((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
  if (model[first] === 0x7b) {
    let json: unknown;
    try {
      // An all-ASCII body read as latin1: a plain copy, where utf8 decoding takes seconds.
      json = JSON.parse(isAscii(model) ? model.toString('latin1') : model.toString('utf8'));
    } catch (error) {
      throw new ValidationError(`model: not JSON (${(error as Error).message})`);
    }
    return networkFromJson(parseOrThrow(networkSchema, json, 'model'), 'model');
  }
  if (model.byteLength > MAX_ONNX_BYTES) throw new ValidationError(`model: an ONNX model of ${model.byteLength} bytes is over the limit of ${MAX_ONNX_BYTES}`, 'over-limit');
  return onnxToNetworkOffThread(model, true);
}
