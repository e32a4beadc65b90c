// What the farm knows about a stored plan: the engine's own description of it (PlanInfo)
// plus where and how it was built. The API validates inference inputs against it and routes
// inferences by its compatKey, without loading the plan.
import type { DeviceInfo, PlanInfo } from '../engine/types.js';

export interface PlanMeta extends Omit<PlanInfo, 'bytes'> {
  id: string; // sha256 of the plan bytes, hex
  bytes: number;
  device: Omit<DeviceInfo, 'index'>;
  buildMs: number;
  createdAt: string; // ISO 8601
  buildId?: string; // the build request that produced it
  report?: PlanReport; // measured on the worker right after the build (absent: report: false)
  timingCacheHits?: number; // autotuning choices taken from the fleet's timing cache (cuda)
}

// Measured on fresh random inputs: Engine.infer timed host to host on the worker, and the outputs
// against a float64 evaluation of the same network.
export interface PlanReport {
  latency: { batch: number; p50Ms: number; p90Ms: number; p99Ms: number; runs: number }[];
  throughput: { batch: number; rowsPerSecond: number }[];
  accuracy: { reference: 'float64'; batch: number; relErr: number; maxAbsErr: number; tolerance: number; pass: boolean };
  ms: number;
}

const PLAN_ID = /^[0-9a-f]{64}$/;

export function isPlanId(text: string): boolean {
  return PLAN_ID.test(text);
}
