// What the farm remembers of a build beyond its BullMQ job: the queue it went to (so its id
// alone finds it), once built its plan and what this build measured (two builds may give the
// same plan bytes, stored once: each keeps its own buildMs, createdAt and report), the names it
// was given, and whether it was cancelled. Completed build jobs are removed after a while; this
// small record keeps answering for them.
import type { Redis } from 'ioredis';

import type { PlanMeta } from '../store/plan-meta.js';
import { farmKeys } from './names.js';

// What a cancelled build fails with (DELETE /v1/builds/:id, of it or of its sweep).
export const CANCELLED_MESSAGE = 'cancelled';

const UNBUILT_TTL_S = 7 * 24 * 3600 + 3600;

// The fields of a PlanMeta that belong to the build that produced it, not to the plan bytes.
export type BuildOwnFields = Pick<PlanMeta, 'buildMs' | 'createdAt' | 'report' | 'timingCacheHits'>;

export interface BuildRecord {
  queue?: string;
  plan?: string;
  own?: BuildOwnFields;
  cancelled?: boolean;
}

export class BuildIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(buildId: string): Promise<BuildRecord> {
    const [queue, plan, own, cancelled] = await this.redis.hmget(farmKeys.build(this.prefix, buildId), 'queue', 'plan', 'own', 'cancelled');
    return {
      ...(queue ? { queue } : {}),
      ...(plan ? { plan } : {}),
      ...(own ? { own: JSON.parse(own) as BuildOwnFields } : {}),
      ...(cancelled ? { cancelled: true } : {}),
    };
  }

  // A build that never completes is forgotten with its failed job (buildJobOptions.removeOnFail).
  // A new submission clears what an earlier run left (a cancellation, a deleted plan).
  async setQueue(buildId: string, queue: string): Promise<void> {
    const key = farmKeys.build(this.prefix, buildId);
    await this.redis.multi().hset(key, 'queue', queue).hdel(key, 'cancelled', 'plan', 'own').expire(key, UNBUILT_TTL_S).exec();
  }

  // A built one is kept as long as its plan.
  async setPlan(buildId: string, planId: string, own: BuildOwnFields): Promise<void> {
    const key = farmKeys.build(this.prefix, buildId);
    await this.redis.multi().hset(key, 'plan', planId, 'own', JSON.stringify(own)).hdel(key, 'cancelled').persist(key).exec();
  }

  async setCancelled(buildId: string): Promise<void> {
    await this.redis.hset(farmKeys.build(this.prefix, buildId), 'cancelled', '1');
  }

  async addName(buildId: string, name: string): Promise<void> {
    const key = farmKeys.buildNames(this.prefix, buildId);
    await this.redis.multi().sadd(key, name).expire(key, UNBUILT_TTL_S).exec();
  }

  async names(buildId: string): Promise<string[]> {
    return this.redis.smembers(farmKeys.buildNames(this.prefix, buildId));
  }
}

// A plan's meta as one build reports it: the plan's, with this build's own fields.
export function planMetaOfBuild(plan: PlanMeta, buildId: string, own: BuildOwnFields): PlanMeta {
  return { ...plan, buildMs: own.buildMs, createdAt: own.createdAt, report: own.report, timingCacheHits: own.timingCacheHits, buildId };
}
