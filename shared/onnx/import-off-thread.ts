// onnxToNetwork on a thread of its own: decoding and converting a model takes the CPU for as long
// as the model is big (a 1.3 MB one of 20 000 nodes ~100 ms, a 320 MiB one seconds), and on the
// API's event loop that time would stall every other request. One thread, started on first use,
// converts one model at a time (which also bounds the memory imports take at once); it holds
// the process open only while a conversion is pending.
import { Worker } from 'node:worker_threads';

import type { NetworkSpec } from '../network/spec.js';
import { OnnxImportError } from './onnx-import-error.js';
import type { ImportReply, ImportRequest } from './import-worker.js';


type Pending = { resolve: (network: NetworkSpec) => void; reject: (error: Error) => void };

let thread: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

// The project runs as TypeScript through tsx, whose loader a worker thread does not inherit
// (Node 20): the thread registers it before loading its body.
const BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL('./import-worker.ts', import.meta.url).href)});
});`;

function startThread(): Worker {
  const worker = new Worker(BOOT, { eval: true });
  worker.on('message', (reply: ImportReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if ('network' in reply) waiting.resolve(reply.network);
    // onnxToNetwork throws only OnnxImportErrors, whose message has the prefix the class adds.
    else if ('refused' in reply) waiting.reject(new OnnxImportError(reply.refused.message.replace(/^ONNX: /, ''), reply.refused.kind));
    else waiting.reject(new Error(`ONNX import failed: ${reply.failed}`));
  });
  // A thread that died (out of memory) fails what it had and is started afresh next time.
  worker.on('error', (error) => stopped(worker, error));
  worker.on('exit', (code) => stopped(worker, new Error(`the ONNX import thread exited (${code})`)));
  return worker;
}

function stopped(worker: Worker, error: Error): void {
  if (thread !== worker) return;
  thread = undefined;
  for (const waiting of pending.values()) waiting.reject(error);
  pending.clear();
}

// Starts the thread ahead of the first model (its start and TypeScript loading take a few hundred
// ms), without holding the process open.
export function startOnnxImportThread(): void {
  if (thread) return;
  thread = startThread();
  thread.unref();
}

// Resolves with the network, or rejects with the OnnxImportError onnxToNetwork threw. `handOver`:
// the caller is done with `bytes`, so where they span their whole ArrayBuffer (never a pooled
// Buffer's) it moves to the thread instead of being copied there (hundreds of MB on this thread).
export function onnxToNetworkOffThread(bytes: Uint8Array, handOver = false): Promise<NetworkSpec> {
  thread ??= startThread();
  const worker = thread;
  const id = nextId++;
  worker.ref();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const movable = handOver && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    worker.postMessage({ id, bytes } satisfies ImportRequest, movable ? [bytes.buffer as ArrayBuffer] : []);
  });
}
