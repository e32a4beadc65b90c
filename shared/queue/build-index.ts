// What the farm remembers of a build beyond its BullMQ job: the queue it went to (so its id
// alone finds it) and, once built, its plan. Completed build jobs are removed after a while;
// this small record keeps answering for them.
import type { Redis } from 'ioredis';

import { farmKeys } from './names.js';

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

  async setQueue(buildId: string, queue: string): Promise<void> {
    await this.redis.hset(farmKeys.build(this.prefix, buildId), 'queue', queue);
  }

  async setPlan(buildId: string, planId: string): Promise<void> {
    await this.redis.hset(farmKeys.build(this.prefix, buildId), 'plan', planId);
  }
}
