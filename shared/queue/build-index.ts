// What the farm remembers of a build beyond its BullMQ job: the queue it went to (so its id
// alone finds it) and, once built, its plan. Completed build jobs are removed after a while;
// this small record keeps answering for them.
import type { Redis } from 'ioredis';

import { farmKeys } from './names.js';

const UNBUILT_TTL_S = 7 * 24 * 3600 + 3600;

export interface BuildRecord {
  queue?: string;
  plan?: string;
}

export class BuildIndex {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(buildId: string): Promise<BuildRecord> {
    const [queue, plan] = await this.redis.hmget(farmKeys.build(this.prefix, buildId), 'queue', 'plan');
    return { ...(queue ? { queue } : {}), ...(plan ? { plan } : {}) };
  }

  // A build that never completes is forgotten with its failed job (buildJobOptions.removeOnFail).
  async setQueue(buildId: string, queue: string): Promise<void> {
    const key = farmKeys.build(this.prefix, buildId);
    await this.redis.multi().hset(key, 'queue', queue).expire(key, UNBUILT_TTL_S).exec();
  }

  // A built one is kept as long as its plan, which is never removed.
  async setPlan(buildId: string, planId: string): Promise<void> {
    const key = farmKeys.build(this.prefix, buildId);
    await this.redis.multi().hset(key, 'plan', planId).persist(key).exec();
  }
}
