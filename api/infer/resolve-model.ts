// What `:model` in /v2/models/:model names: a plan id, or a name given at build time. A name
// resolves to the newest completed plan given it that a live worker can run (else the newest
// given it, so that the caller is told no worker can run it rather than that it is unknown).
import { isPlanId, type PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';

// Plans of one name looked at, newest first.
const CANDIDATES = 64;

export async function resolveModel(farm: FarmServices, model: string): Promise<PlanMeta | undefined> {
  if (isPlanId(model)) return farm.planMeta(model);
  const { entries } = await farm.catalog.page(CANDIDATES, { name: model });
  const metas = (await Promise.all(entries.map((entry) => farm.planMeta(entry.planId)))).filter((meta): meta is PlanMeta => meta !== undefined);
  if (metas.length === 0) return undefined;
  const served = new Set((await farm.liveWorkers()).flatMap((worker) => worker.serves.map((s) => s.compatKey)));
  return metas.find((meta) => served.has(meta.compatKey)) ?? metas[0];
}
