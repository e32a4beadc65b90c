// One farm for one test: its own queue prefix and data dir on the file's Redis, the API as a
// Fastify instance (inject), and workers as real child processes (worker/main.ts via tsx) or
// in-process FarmWorkers.
import { Queue, QueueEvents } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import pino from 'pino';

import { buildApp } from '../../api/app.js';
import { loadConfig, type FarmConfig } from '../../shared/config.js';
import { engine } from '../../shared/engine/addon.js';
import { queueName } from '../../shared/queue/names.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { PlanStore } from '../../shared/store/plan-store.js';
import { FarmWorker } from '../../worker/farm-worker.js';
import type { TestRedis } from '../helpers/redis.js';

async function scanAll(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

export interface CompletedBuild {
  id: string;
  status: 'completed';
  progress: number;
  plan: PlanMeta;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class ChildWorker {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly process: ChildProcess) {
    process.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    process.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get log(): string {
    return this.output;
  }

  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes('"msg":"worker ready"')) {
      if (this.process.exitCode !== null || Date.now() > deadline) throw new Error(`worker did not start:\n${this.output}`);
      await sleep(50);
    }
  }
}

export class TestFarm {
  private readonly children: ChildWorker[] = [];
  private readonly inProcess: FarmWorker[] = [];

  private constructor(
    readonly config: FarmConfig,
    readonly app: FastifyInstance,
    readonly env: Record<string, string>,
  ) {}

  // `env`: settings for the API and the workers (e.g. short locks for the stalled-job test).
  static async start(redis: TestRedis, env: Record<string, string> = {}): Promise<TestFarm> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-data-'));
    const fullEnv = {
      REDIS_URL: redis.url,
      TRTFARM_DATA_DIR: dataDir,
      TRTFARM_QUEUE_PREFIX: redis.newPrefix(),
      TRTFARM_HEARTBEAT_MS: '300',
      LOG_LEVEL: 'info',
      ...env,
    };
    const config = loadConfig(fullEnv);
    const app = await buildApp({ config, engine, logger: false });
    return new TestFarm(config, app, fullEnv);
  }

  store(): PlanStore {
    return this.app.farm.store;
  }

  async spawnWorker(extraEnv: Record<string, string> = {}): Promise<ChildWorker> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', '--device', 'cpu'], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new ChildWorker(child);
    this.children.push(worker);
    await worker.ready();
    return worker;
  }

  async startWorker(): Promise<FarmWorker> {
    const worker = await FarmWorker.start(this.config, 'cpu', engine, pino({ level: 'silent' }));
    this.inProcess.push(worker);
    return worker;
  }

  // The cpu class's queues, as the live workers announce them.
  async cpuQueue(kind: 'build' | 'infer'): Promise<Queue> {
    const workers = await this.app.farm.directory.live();
    const served = workers.flatMap((w) => w.serves).find((s) => s.backend === 'cpu');
    if (!served) throw new Error('no live cpu worker');
    return this.app.farm.queue(queueName(kind, served.compatKey));
  }

  // Jobs in every state in every queue the live workers read, plus build-index entries:
  // what a refused request must leave unchanged.
  async jobCount(): Promise<number> {
    const workers = await this.app.farm.directory.live();
    const names = new Set(workers.flatMap((w) => w.queues));
    let total = 0;
    for (const name of names) {
      const counts = await this.app.farm.queue(name).getJobCounts();
      total += Object.values(counts).reduce((sum, n) => sum + n, 0);
    }
    const indexKeys = await scanAll(this.app.farm.redis, `${this.config.queuePrefix}:builds:*`);
    return total + indexKeys.length;
  }

  async queueEvents(queue: Queue): Promise<QueueEvents> {
    const { hostname, port } = new URL(this.config.redisUrl!);
    const events = new QueueEvents(queue.name, { connection: { host: hostname, port: Number(port) }, prefix: this.config.queuePrefix });
    await events.waitUntilReady();
    return events;
  }

  async post(url: string, payload: unknown) {
    return this.app.inject({ method: 'POST', url, payload: payload as object });
  }

  async get(url: string) {
    return this.app.inject({ method: 'GET', url });
  }

  // POST /v1/builds, then poll until it completed; returns the final status body.
  async build(body: unknown, timeoutMs = 60_000): Promise<CompletedBuild> {
    const posted = await this.post('/v1/builds', body);
    if (posted.statusCode !== 202 && posted.statusCode !== 200) throw new Error(`build refused: ${posted.statusCode} ${posted.body}`);
    return this.waitForBuild(posted.json().id, timeoutMs);
  }

  async waitForBuild(id: string, timeoutMs = 60_000): Promise<CompletedBuild> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await this.get(`/v1/builds/${id}`)).json();
      if (status.status === 'completed') return status;
      if (status.status === 'failed') throw new Error(`build failed: ${status.error.message}`);
      if (Date.now() > deadline) throw new Error(`build ${id} still ${status.status} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  // Polls GET /v1/infer/:id until the inference finished; returns the final status body.
  async waitForInference(id: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await this.get(`/v1/infer/${id}`)).json();
      if (status.status === 'completed' || status.status === 'failed') return status;
      if (Date.now() > deadline) throw new Error(`inference ${id} still ${status.status} after ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  async waitForWorkers(count: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.app.farm.directory.live()).length !== count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} live workers`);
      await sleep(50);
    }
  }

  // Obliterates every queue of this farm's prefix and deletes its other keys (worker
  // records, build index, plans in Redis), leaving the file's Redis as the test found it.
  private async clearRedis(): Promise<void> {
    const { redis } = this.app.farm;
    const prefix = this.config.queuePrefix;
    const keys = await scanAll(redis, `${prefix}:*`);
    const queueNames = keys.filter((key) => key.endsWith(':meta') && key.split(':').length === 3).map((key) => key.split(':')[1]);
    for (const name of queueNames) await this.app.farm.queue(name).obliterate({ force: true });
    const rest = await scanAll(redis, `${prefix}:*`);
    if (rest.length > 0) await redis.del(...rest);
    const left = await scanAll(redis, `${prefix}:*`);
    if (left.length > 0) throw new Error(`keys left behind: ${left.join(', ')}`);
  }

  async stop(): Promise<void> {
    for (const child of this.children) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await Promise.all(this.children.map((child) => child.exited));
    await Promise.all(this.inProcess.map((worker) => worker.stop()));
    await this.clearRedis();
    await this.app.close();
    await rm(this.config.dataDir, { recursive: true, force: true });
  }
}

