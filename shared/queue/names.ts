// Queue naming. Jobs are routed by what can serve them: a "class" is one backend on one kind
// of device with one set of library versions — exactly a plan's compatKey — so a worker
// consumes only the queues of plans it can load. BullMQ forbids ':' in queue names.
import type { BackendName } from '../network/spec.js';

export type JobKind = 'build' | 'infer';

// The parents of sweep flows (each variant is a child on its class's build queue).
export const SWEEP_QUEUE = 'sweeps';

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
  // The names given to a build's request (attached to its plan once built).
  buildNames: (prefix: string, buildId: string) => `${prefix}:builds:${buildId}:names`,
  buildInput: (prefix: string, buildId: string) => `${prefix}:build-inputs:${buildId}`,
  // A network shared by the build inputs of its variants, by content hash.
  buildNetwork: (prefix: string, networkHash: string) => `${prefix}:build-inputs:network:${networkHash}`,
  buildNetworkUsers: (prefix: string, networkHash: string) => `${prefix}:build-inputs:network:${networkHash}:users`,
  // Pub/sub: build ids whose running job is to be stopped.
  cancelChannel: (prefix: string) => `${prefix}:cancel`,
  sweep: (prefix: string, sweepId: string) => `${prefix}:sweeps:${sweepId}`,
  // Plans newest first (score: a sequence number), per name, and each plan's names.
  planCatalog: (prefix: string) => `${prefix}:plan-catalog`,
  planSequence: (prefix: string) => `${prefix}:plan-catalog:seq`,
  planName: (prefix: string, name: string) => `${prefix}:plan-names:${name}`,
  namesOfPlan: (prefix: string, planId: string) => `${prefix}:plan-catalog:${planId}:names`,
  plan: (prefix: string, kind: 'plan' | 'meta', planId: string) => `${prefix}:plans:${kind}:${planId}`,
  // The fleet-wide timing cache of one device class: field = the addon's entry key, value = tactic.
  timingCache: (prefix: string, compatKey: string) => `${prefix}:timing-cache:${compatKey}`,
  // An inference job's tensors, beside the job (shared/queue/wire-tensor.ts's layout).
  inferInputs: (prefix: string, jobId: string) => `${prefix}:infer-inputs:${jobId}`,
  inferOutputs: (prefix: string, jobId: string) => `${prefix}:infer-outputs:${jobId}`,
  // Every build and infer queue the API has seen (api/plugins/queue-catalog.ts).
  queues: (prefix: string) => `${prefix}:queues`,
};
