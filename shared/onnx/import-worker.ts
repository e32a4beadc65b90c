// The body of the ONNX import thread (see import-off-thread.ts): converts each model it is sent
// and posts back the network, its float data transferred, or the caller's error.
import { parentPort } from 'node:worker_threads';

import type { NetworkSpec } from '../network/spec.js';
import { ValidationError, type ValidationKind } from '../network/validation-error.js';
import { onnxToNetwork } from './import.js';

export type ImportRequest = { id: number; bytes: Uint8Array };
export type ImportReply =
  | { id: number; network: NetworkSpec }
  | { id: number; refused: { message: string; kind: ValidationKind } }
  | { id: number; failed: string };

parentPort!.on('message', ({ id, bytes }: ImportRequest) => {
  try {
    const network = onnxToNetwork(bytes);
    // A constant reshaped and also used as it is shares its data: each buffer listed once.
    const buffers = new Set<ArrayBuffer>();
    for (const layer of network.layers) {
      if (layer.type === 'fullyConnected') [layer.weights, layer.bias].forEach((data) => data && buffers.add(data.buffer as ArrayBuffer));
      if (layer.type === 'constant') buffers.add(layer.values.buffer as ArrayBuffer);
    }
    parentPort!.postMessage({ id, network } satisfies ImportReply, [...buffers]);
  } catch (error) {
    const reply: ImportReply = error instanceof ValidationError
      ? { id, refused: { message: error.message, kind: error.kind } }
      : { id, failed: String((error as Error)?.stack ?? error) };
    parentPort!.postMessage(reply);
  }
});
