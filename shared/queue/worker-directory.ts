// Reads and writes the live-worker records (see worker-record.ts).
import type { Redis } from 'ioredis';

import { farmKeys } from './names.js';
import type { WorkerRecord } from './worker-record.js';

export class WorkerDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async announce(record: WorkerRecord, ttlMs: number): Promise<void> {
    await this.redis
      .multi()
      .sadd(farmKeys.workerSet(this.prefix), record.id)
      .set(farmKeys.worker(this.prefix, record.id), JSON.stringify(record), 'PX', ttlMs)
      .exec();
  }

  async withdraw(id: string): Promise<void> {
    await this.redis
      .multi()
      .srem(farmKeys.workerSet(this.prefix), id)
      .del(farmKeys.worker(this.prefix, id))
      .exec();
  }

  async live(): Promise<WorkerRecord[]> {
    const ids = await this.redis.smembers(farmKeys.workerSet(this.prefix));
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => farmKeys.worker(this.prefix, id)));
    const gone = ids.filter((_, i) => values[i] === null);
    // A worker killed without withdrawing leaves its id behind; its key expired.
    if (gone.length > 0) await this.redis.srem(farmKeys.workerSet(this.prefix), ...gone);
    return values
      .filter((value): value is string => value !== null)
      .map((value) => JSON.parse(value) as WorkerRecord)
      .sort((a, b) => a.id.localeCompare(b.id));
  }
}
