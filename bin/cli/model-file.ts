// The model a build or sweep is given: a network JSON (the contract's format), a whole build
// request JSON, or an ONNX file. The network is also read for --profile's batch-size form.
import { readFileSync } from 'node:fs';

import type { NetworkSpec } from '../../shared/network/spec.js';
import { onnxToNetwork } from '../../shared/onnx/import.js';
import { UsageError } from './usage-error.js';

export interface ModelFile {
  body: { network: unknown } | { onnx: string }; // the model part of a request
  network: NetworkSpec;
}

export function readModelFile(file: string): ModelFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (file.toLowerCase().endsWith('.onnx')) {
    let network: NetworkSpec;
    try {
      network = onnxToNetwork(bytes);
    } catch (error) {
      throw new UsageError(`${file}: ${(error as Error).message}`);
    }
    return { body: { onnx: bytes.toString('base64') }, network };
  }
  let json: { network?: NetworkSpec; inputs?: unknown };
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UsageError(`${file} is neither JSON nor .onnx: ${(error as Error).message}`);
  }
  const network = (json.network ?? json) as NetworkSpec;
  if (!Array.isArray(network.inputs)) throw new UsageError(`${file}: not a network (no "inputs" array)`);
  return { body: { network }, network };
}
