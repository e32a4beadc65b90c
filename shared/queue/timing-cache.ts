// The fleet-wide timing cache of one device class (cuda): the autotuner's winners, so that a
// second network of the same layer shapes builds without timing them again. One Redis hash per
// compatKey (the key is the class; the addon's entry key gives layer shape and kind, precision
// and batch bucket); a worker reads its class's hash before a build and writes back what the
// build timed. A winner written twice is the same kind of fact: the last write stands.
import type { Redis } from 'ioredis';

import type { TimingCacheEntry } from '../engine/types.js';
import { farmKeys } from './names.js';

export class TimingCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async read(compatKey: string): Promise<TimingCacheEntry[]> {
    const fields = await this.redis.hgetall(farmKeys.timingCache(this.prefix, compatKey));
    return Object.entries(fields).map(([key, tactic]) => ({ key, tactic }));
  }

  async write(compatKey: string, entries: TimingCacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.hset(farmKeys.timingCache(this.prefix, compatKey), Object.fromEntries(entries.map((e) => [e.key, e.tactic])));
  }

  async size(compatKey: string): Promise<number> {
    return this.redis.hlen(farmKeys.timingCache(this.prefix, compatKey));
  }
}
