// What a KServe v2 `:model` names. Today: a plan id (a model has the one version "1"). Names
// given at build time are resolved here too, by this same function (the sweeps work adds them).
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';

const PLAN_ID = /^[0-9a-f]{64}$/;

export async function resolveModel(farm: FarmServices, model: string): Promise<PlanMeta | undefined> {
  return PLAN_ID.test(model) ? farm.planMeta(model) : undefined;
}
