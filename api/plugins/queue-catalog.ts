// The farm's build and infer queues, for /metrics and the dashboard: those the live workers read,
// remembered in Redis, so that a queue whose workers are gone (scaled to zero, with jobs
// waiting) still shows, on every API replica and after a restart.
import { farmKeys } from '../../shared/queue/names.js';
import type { FarmServices } from '../farm-services.js';

// A scrape or a page view reads the list at most this often.
const REFRESH_MS = 1000;

export class QueueCatalog {
  private remembered = new Set<string>();
  private latest?: { at: number; names: Promise<string[]> };

  constructor(private readonly farm: FarmServices) {}

  names(): Promise<string[]> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at > REFRESH_MS) {
      this.latest = { at: now, names: this.read() };
      this.latest.names.catch(() => (this.latest = undefined));
    }
    return this.latest.names;
  }

  private async read(): Promise<string[]> {
    const { redis, config } = this.farm;
    const key = farmKeys.queues(config.queuePrefix);
    const served = (await this.farm.liveWorkers()).flatMap((worker) => worker.queues);
    const fresh = served.filter((name) => !this.remembered.has(name));
    if (fresh.length > 0) await redis.sadd(key, ...fresh);
    this.remembered = new Set([...this.remembered, ...fresh, ...(await redis.smembers(key))]);
    return [...this.remembered].sort();
  }
}
