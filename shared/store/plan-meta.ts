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
}

const PLAN_ID = /^[0-9a-f]{64}$/;

export function isPlanId(text: string): boolean {
  return PLAN_ID.test(text);
}
