// What travels through the queues. Tensors go as base64 of little-endian float32: a quarter
// of the size of JSON numbers and exact.
import type { BackendName } from '../network/spec.js';
import type { PlanMeta } from '../store/plan-meta.js';

export interface WireTensor {
  shape: number[];
  base64: string;
}

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

export interface InferJobData {
  plan: string;
  inputs: Record<string, WireTensor>;
}

export interface InferJobResult {
  outputs: Record<string, WireTensor>;
  worker: string;
  inferMs: number;
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
