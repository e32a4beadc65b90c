// One worker process's BullMQ side: a build and an infer Worker for each class its device
// serves, the engine cache, and the heartbeat that makes it visible to the API.
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import os from 'node:os';
import type { Logger } from 'pino';

import type { FarmConfig } from '../shared/config.js';
import type { EngineAddon } from '../shared/engine/types.js';
import { BuildIndex } from '../shared/queue/build-index.js';
import { BuildInputStore } from '../shared/queue/build-input-store.js';
import { farmKeys, queueName, SWEEP_QUEUE } from '../shared/queue/names.js';
import { TimingCache } from '../shared/queue/timing-cache.js';
import { PlanCatalog } from '../shared/store/plan-catalog.js';
import { WorkerDirectory } from '../shared/queue/worker-directory.js';
import { openPlanStore } from '../shared/store/open-plan-store.js';
import { buildProcessor } from './build-processor.js';
import { bindDevice, type DeviceChoice } from './device.js';
import { EngineCache } from './engine-cache.js';
import { Heartbeat } from './heartbeat.js';
import { inferProcessor } from './infer-processor.js';

export class FarmWorker {
  private constructor(
    readonly id: string,
    readonly queues: string[],
    private readonly workers: Worker[],
    private readonly heartbeat: Heartbeat,
    private readonly engines: EngineCache,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {}

  static async start(config: FarmConfig, device: DeviceChoice, engine: EngineAddon, log: Logger): Promise<FarmWorker> {
    if (!config.redisUrl) throw new Error('a worker needs REDIS_URL (or --redis)');
    const binding = await bindDevice(engine, device);
    const id = `${os.hostname()}-${device === 'cpu' ? 'cpu' : `gpu${device}`}-${process.pid}`;
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    const store = openPlanStore(config, redis);
    const engines = new EngineCache(config.engineCacheBytes, async (planId) => {
      const plan = await store.get(planId);
      // Retrying cannot help: this worker does not share the API's plan store.
      if (!plan) throw new UnrecoverableError(`plan ${planId} is not in this worker's plan store (TRTFARM_PLAN_STORE=${config.planStore})`);
      const loaded = await engine.loadEngine(plan, { device: device === 'cpu' ? undefined : device });
      return { engine: loaded, bytes: plan.byteLength };
    });

    const common = {
      connection: redis,
      prefix: config.queuePrefix,
      name: id,
      lockDuration: config.lockMs,
      stalledInterval: config.stalledCheckMs,
    };
    const index = new BuildIndex(redis, config.queuePrefix);
    const inputs = new BuildInputStore(redis, config.queuePrefix);
    const catalog = new PlanCatalog(redis, config.queuePrefix);
    const timingCache = new TimingCache(redis, config.queuePrefix);
    const build = buildProcessor({ engine, store, catalog, index, inputs, timingCache, binding, testDelayMs: config.testBuildDelayMs, buildTimeoutMs: config.buildTimeoutMs });
    const infer = inferProcessor({
      engines,
      redis,
      prefix: config.queuePrefix,
      workerId: id,
      stacking: config.batching,
      testDelayMs: config.testInferDelayMs,
      onOutputsLost: (job, error) => log.error({ job, err: error.message }, 'inference outputs not written'),
    });
    const workers: Worker[] = [];
    const queues: string[] = [];
    for (const served of binding.serves) {
      const buildQueue = queueName('build', served.compatKey);
      const inferQueue = queueName('infer', served.compatKey);
      // Builds use the whole device; inferences are short and overlap their Redis round trips.
      const builds = new Worker(buildQueue, build, { ...common, concurrency: 1 });
      // Only once the job is completed in Redis: a worker that dies before that leaves the job
      // to be taken over, and its successor needs the input. (A completed build is never run again.)
      builds.on('completed', (job) => inputs.delete(job.id!).catch((error) => log.warn({ job: job.id, err: error.message }, 'build input not deleted')));
      workers.push(builds);
      const inferences = new Worker(inferQueue, infer, { ...common, concurrency: config.inferConcurrency });
      // As for builds: the inputs stay until the job is completed, for a worker that takes it over.
      inferences.on('completed', (job) => void redis.del(farmKeys.inferInputs(config.queuePrefix, job.id!)).catch(() => undefined));
      workers.push(inferences);
      queues.push(buildQueue, inferQueue);
    }
    // A sweep's parent job runs once all its variants finished: its state is the sweep's.
    workers.push(new Worker(SWEEP_QUEUE, async (job) => ({ builds: Object.keys(await job.getDependencies()).length }), { ...common, concurrency: 8 }));
    for (const worker of workers) {
      worker.on('failed', (job, error) => log.warn({ job: job?.id, queue: worker.name, err: error.message }, 'job failed'));
      worker.on('error', (error) => log.error({ err: error }, 'worker error'));
    }
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    // DELETE /v1/builds/:id of a running build: whichever worker runs it aborts its signal.
    const subscriber = redis.duplicate();
    subscriber.on('message', (_channel: string, buildId: string) => {
      for (const worker of workers) worker.cancelJob(buildId, 'cancelled');
    });
    await subscriber.subscribe(farmKeys.cancelChannel(config.queuePrefix));

    const record = {
      id,
      backend: binding.serves[0].backend,
      device: { ...binding.info, index: device },
      serves: binding.serves,
      queues,
      versions: binding.versions,
      host: os.hostname(),
      pid: process.pid,
      startedAt: new Date().toISOString(),
    };
    const heartbeat = new Heartbeat(new WorkerDirectory(redis, config.queuePrefix), record, config.heartbeatMs, (error) =>
      log.error({ err: error }, 'heartbeat failed'),
    );
    await heartbeat.start();
    return new FarmWorker(id, queues, workers, heartbeat, engines, redis, subscriber);
  }

  private stopping?: Promise<void>;

  // Graceful: no new jobs are taken, active ones finish (Worker.close waits for them), then
  // the worker leaves the directory.
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.heartbeat.stop();
    this.engines.clear();
    await this.subscriber.quit();
    await this.redis.quit();
  }
}
