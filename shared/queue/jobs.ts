// What travels through the queues. Tensors never do: an inference job's inputs and outputs are
// binary values in Redis beside the job (farmKeys.inferInputs / inferOutputs, laid out by
// shared/queue/wire-tensor.ts), so job data and completion events stay a few hundred bytes.
import type { BackendName } from '../network/spec.js';
import type { PlanMeta } from '../store/plan-meta.js';

// The network itself is not here: it is the job's build input (BuildInputStore, by job id).
export interface BuildJobData {
  backend: BackendName;
  compatKey: string;
  // Batches the report measures besides the profile's min, opt and max (a sweep's `batch`).
  reportBatches?: number[];
}

export interface BuildJobResult {
  planId: string;
  meta: PlanMeta;
}

// One job holds one or more requests ("items") for one plan, batched by the API; each item
// is answered alone (its outputs, or its own error).
export interface InferJobData {
  plan: string;
  items: number;
}

export interface InferItemResult {
  error?: string; // the caller's fault (E_INPUT…): this item failed, the others did not
  queueUs: number; // in the worker: from taking the job to the start of this item's engine call
  computeUs: number; // the engine call this item ran in
  batch: number; // rows of that engine call (the executed batch)
  rows: number; // this item's rows
}

export interface InferJobResult {
  worker: string;
  items: InferItemResult[];
}

export const buildJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  // Kept an hour, then the build index answers for it.
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export const inferJobOptions = {
  attempts: 2,
  backoff: { type: 'fixed', delay: 200 },
  // Results are for the caller who is polling; keep them briefly.
  removeOnComplete: { age: 600, count: 10_000 },
  removeOnFail: { age: 3600, count: 10_000 },
} as const;
