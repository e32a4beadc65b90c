// Queue naming. Jobs are routed by what can serve them: a "class" is one backend on one kind
// of device with one set of library versions — exactly a plan's compatKey — so a worker
// consumes only the queues of plans it can load. BullMQ forbids ':' in queue names.
import type { BackendName } from '../network/spec.js';

export type JobKind = 'build' | 'infer';

export function queueClass(compatKey: string): string {
  return compatKey.replace(/:/g, '-').replace(/[^A-Za-z0-9_.-]/g, '_');
}

export function queueName(kind: JobKind, compatKey: string): string {
  return `${kind}.${queueClass(compatKey)}`;
}

// For `backend: auto`: the best backend that some live worker serves.
export const BACKEND_PREFERENCE: readonly BackendName[] = ['tensorrt', 'cuda', 'cpu'];

// Redis keys of the farm's own bookkeeping, beside BullMQ's (which use the same prefix).
export const farmKeys = {
  workerSet: (prefix: string) => `${prefix}:workers`,
  worker: (prefix: string, id: string) => `${prefix}:workers:${id}`,
  build: (prefix: string, buildId: string) => `${prefix}:builds:${buildId}`,
  // Every build and infer queue the API has seen (api/plugins/queue-catalog.ts).
  queues: (prefix: string) => `${prefix}:queues`,
};
