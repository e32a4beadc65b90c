// The farm's list of plans, newest first, and the names given to them, in Redis beside the plan
// store (whichever store holds the bytes). Each plan's place is a sequence number taken when it
// was first stored, so paging by "older than the last one seen" neither skips nor repeats a plan
// while new ones arrive. A name maps to the plans given it, scored by when it was given, so a
// name resolves to the plan it was given last.
import type { Redis } from 'ioredis';

import { farmKeys } from '../queue/names.js';

export interface CatalogPage {
  entries: { planId: string; seq: number }[];
  // The seq to pass as `before` for the next page; absent at the end.
  next?: number;
}

export class PlanCatalog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  // A plan stored again keeps its first place.
  async add(planId: string): Promise<void> {
    const seq = await this.redis.incr(farmKeys.planSequence(this.prefix));
    await this.redis.zadd(farmKeys.planCatalog(this.prefix), 'NX', seq, planId);
  }

  async giveNames(planId: string, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const seq = await this.redis.incr(farmKeys.planSequence(this.prefix));
    const multi = this.redis.multi().sadd(farmKeys.namesOfPlan(this.prefix, planId), ...names);
    for (const name of names) multi.zadd(farmKeys.planName(this.prefix, name), seq, planId);
    await multi.exec();
  }

  async namesOf(planId: string): Promise<string[]> {
    return (await this.redis.smembers(farmKeys.namesOfPlan(this.prefix, planId))).sort();
  }

  // Plans newest first: all of them, or those given `name`; `before` a seq from an earlier page.
  async page(count: number, options: { name?: string; before?: number } = {}): Promise<CatalogPage> {
    const key = options.name ? farmKeys.planName(this.prefix, options.name) : farmKeys.planCatalog(this.prefix);
    const max = options.before === undefined ? '+inf' : `(${options.before}`;
    const flat = await this.redis.zrevrangebyscore(key, max, '-inf', 'WITHSCORES', 'LIMIT', 0, count + 1);
    const entries: CatalogPage['entries'] = [];
    for (let i = 0; i < flat.length; i += 2) entries.push({ planId: flat[i], seq: Number(flat[i + 1]) });
    const more = entries.length > count;
    if (more) entries.pop();
    return more ? { entries, next: entries[entries.length - 1].seq } : { entries };
  }

  async remove(planId: string): Promise<void> {
    const names = await this.redis.smembers(farmKeys.namesOfPlan(this.prefix, planId));
    const multi = this.redis.multi().zrem(farmKeys.planCatalog(this.prefix), planId).del(farmKeys.namesOfPlan(this.prefix, planId));
    for (const name of names) multi.zrem(farmKeys.planName(this.prefix, name), planId);
    await multi.exec();
  }
}
