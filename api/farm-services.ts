// What the routes share: one Redis connection; one Queue and one job watcher (QueueEvents) per
// queue name, created on first use and kept (a QueueEvents per request would cost a connection
// each); the plan store, the build index and the builds' inputs; short-lived caches of the
// worker list and of plan metas.
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

import type { FarmConfig } from '../shared/config.js';
import { BuildIndex } from '../shared/queue/build-index.js';
import { BuildInputStore } from '../shared/queue/build-input-store.js';
import { WorkerDirectory } from '../shared/queue/worker-directory.js';
import type { WorkerRecord } from '../shared/queue/worker-record.js';
import { openPlanStore } from '../shared/store/open-plan-store.js';
import { PlanCatalog } from '../shared/store/plan-catalog.js';
import type { PlanMeta } from '../shared/store/plan-meta.js';
import type { PlanStore } from '../shared/store/plan-store.js';
import { JobWatcher, type JobWatch } from './job-watcher.js';

// Long enough to spare Redis a read per request under load, short enough that a worker
// that just started is used at once for practical purposes.
const WORKER_LIST_TTL_MS = 500;

export class FarmServices {
  readonly redis: Redis;
  readonly store: PlanStore;
  readonly directory: WorkerDirectory;
  readonly builds: BuildIndex;
  readonly buildInputs: BuildInputStore;
  readonly catalog: PlanCatalog;
  private readonly queues = new Map<string, Queue>();
  private readonly watchers = new Map<string, Promise<JobWatcher>>();
  private readonly eventConnections: Redis[] = [];
  // Plans never change (content-addressed), so their metas can be kept.
  private readonly metas = new LRUCache<string, PlanMeta>({ max: 10_000 });
  private workerList?: { at: number; workers: Promise<WorkerRecord[]> };

  constructor(readonly config: FarmConfig) {
    if (!config.redisUrl) throw new Error('the API needs REDIS_URL');
    // While Redis is down, commands fail at once (answered 503) instead of waiting in a queue
    // with the request hanging; open() connects.
    this.redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.store = openPlanStore(config, this.redis);
    this.directory = new WorkerDirectory(this.redis, config.queuePrefix);
    this.builds = new BuildIndex(this.redis, config.queuePrefix);
    this.buildInputs = new BuildInputStore(this.redis, config.queuePrefix);
    this.catalog = new PlanCatalog(this.redis, config.queuePrefix);
  }

  async open(): Promise<void> {
    await this.redis.connect();
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.config.queuePrefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  // Registers a watch for a job's finish; call before adding the job.
  async watchJob(queueName: string, jobId: string, timeoutMs: number): Promise<JobWatch> {
    let watcher = this.watchers.get(queueName);
    if (!watcher) {
      watcher = this.startWatcher(queueName);
      this.watchers.set(queueName, watcher);
      // A watcher that could not start (Redis down) is forgotten, so the next request tries again.
      watcher.catch(() => this.watchers.get(queueName) === watcher && this.watchers.delete(queueName));
    }
    return (await watcher).watch(jobId, timeoutMs);
  }

  private async startWatcher(queueName: string): Promise<JobWatcher> {
    // Read the event stream from its current end, taken now: a QueueEvents that starts at '$'
    // would miss whatever is added between now and its first blocking read.
    const stream = `${this.config.queuePrefix}:${queueName}:events`;
    const [last] = await this.redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    // Its own connection, which waits out outages: it blocks reading the stream. BullMQ leaves
    // a connection it was given open, so close() quits it.
    const connection = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
    this.eventConnections.push(connection);
    const events = new QueueEvents(queueName, { connection, prefix: this.config.queuePrefix, lastEventId: last?.[0] ?? '0-0' });
    await events.waitUntilReady();
    return new JobWatcher(events);
  }

  liveWorkers(): Promise<WorkerRecord[]> {
    const now = Date.now();
    if (!this.workerList || now - this.workerList.at > WORKER_LIST_TTL_MS) {
      this.workerList = { at: now, workers: this.directory.live() };
      this.workerList.workers.catch(() => (this.workerList = undefined));
    }
    return this.workerList.workers;
  }

  async planMeta(id: string): Promise<PlanMeta | undefined> {
    const cached = this.metas.get(id);
    if (cached) return cached;
    const meta = await this.store.meta(id);
    if (meta) this.metas.set(id, meta);
    return meta;
  }

  // A plan deleted (DELETE /v1/plans/:planId): its meta is no longer answered.
  forgetPlan(id: string): void {
    this.metas.delete(id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.watchers.values()].map(async (watcher) => (await watcher).close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await Promise.all([this.redis, ...this.eventConnections].map((connection) => connection.quit()));
  }
}
