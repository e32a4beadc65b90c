// PlanStore in the farm's Redis: for workers on other machines that share no file system with
// the API (TRTFARM_PLAN_STORE=redis). Plan and meta are written in one MULTI, so a reader never
// sees a meta without its plan. Plans take Redis memory: fine for a few GB of plans.
import type { Redis } from 'ioredis';

import { farmKeys } from '../queue/names.js';
import { planIdOf } from './plan-id.js';
import { isPlanId, type PlanMeta } from './plan-meta.js';
import type { PlanStore } from './plan-store.js';

export class RedisPlanStore implements PlanStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async put(plan: Uint8Array, meta: Omit<PlanMeta, 'id' | 'bytes'>): Promise<PlanMeta> {
    const id = await planIdOf(plan);
    const existing = await this.meta(id);
    if (existing) return existing;
    const full: PlanMeta = { ...meta, id, bytes: plan.byteLength };
    await this.redis
      .multi()
      .set(this.key('plan', id), Buffer.from(plan.buffer, plan.byteOffset, plan.byteLength))
      .set(this.key('meta', id), JSON.stringify(full))
      .exec();
    return full;
  }

  async get(id: string): Promise<Buffer | undefined> {
    if (!isPlanId(id)) return undefined;
    return (await this.redis.getBuffer(this.key('plan', id))) ?? undefined;
  }

  async meta(id: string): Promise<PlanMeta | undefined> {
    if (!isPlanId(id)) return undefined;
    const text = await this.redis.get(this.key('meta', id));
    return text ? (JSON.parse(text) as PlanMeta) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    if (!isPlanId(id)) return false;
    const [[, removed]] = (await this.redis.multi().del(this.key('meta', id)).del(this.key('plan', id)).exec()) as [Error | null, number][];
    return removed === 1;
  }

  async count(): Promise<number> {
    let cursor = '0';
    let total = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', this.key('meta', '*'), 'COUNT', 1000);
      cursor = next;
      total += keys.length;
    } while (cursor !== '0');
    return total;
  }

  private key(kind: 'plan' | 'meta', id: string): string {
    return farmKeys.plan(this.prefix, kind, id);
  }
}
