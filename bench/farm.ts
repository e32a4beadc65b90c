// REST → result for small inferences (a small MLP, batching on and off), against raw BullMQ on the same Redis in
// the same run: throughput and p50/p99 latency at several client concurrencies, and the ratio.
// `npm run bench:farm` (starts its own redis-server unless REDIS_URL is set). Appends the table
// to bench/results-farm.md.
import { QueueEvents, Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildApp } from '../api/app.js';
import { JobWatcher } from '../api/job-watcher.js';
import { loadConfig } from '../shared/config.js';
import { engine } from '../shared/engine/addon.js';
import { LocalRedis } from '../bin/local-redis.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONCURRENCIES = (process.env.BENCH_CONCURRENCIES ?? '1,8,32,64').split(',').map(Number);
const SECONDS_PER_POINT = Number(process.env.BENCH_SECONDS ?? 4);

interface Point {
  perSecond: number;
  p50: number;
  p99: number;
}

// `concurrency` loops, each doing one request at a time, for SECONDS_PER_POINT (after a warm-up).
async function measure(concurrency: number, once: () => Promise<void>): Promise<Point> {
  for (let i = 0; i < concurrency * 2; i++) await once();
  const latencies: number[] = [];
  const end = performance.now() + SECONDS_PER_POINT * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await once();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

function startChild(args: string[], env: NodeJS.ProcessEnv, marker: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}): ${output}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-bench-'));
const redis = process.env.REDIS_URL ? undefined : await LocalRedis.start({ dir: dataDir, persistent: false });
const redisUrl = process.env.REDIS_URL ?? redis!.url;
const prefix = `bench${process.pid}`;
const env = { ...process.env, REDIS_URL: redisUrl, TRTFARM_DATA_DIR: dataDir, TRTFARM_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
const config = loadConfig(env);

// A small MLP with a dynamic batch (64 → 256 → 256 → 10, batch 1..64): batch-1 requests that
// the farm may stack.
const random = (n: number) => Array.from({ length: n }, () => Math.fround(Math.random() * 0.2 - 0.1));
const mlp = {
  network: {
    inputs: [{ name: 'x', shape: [-1, 64] }],
    layers: [
      { name: 'fc1', type: 'fullyConnected', outputs: 256, weights: random(256 * 64), bias: random(256) },
      { name: 'relu1', type: 'activation', kind: 'relu' },
      { name: 'fc2', type: 'fullyConnected', outputs: 256, weights: random(256 * 256), bias: random(256) },
      { name: 'relu2', type: 'activation', kind: 'relu' },
      { name: 'fc3', type: 'fullyConnected', outputs: 10, weights: random(10 * 256), bias: random(10) },
    ],
  },
  profile: { x: { min: [1, 64], opt: [16, 64], max: [64, 64] } },
};

// One farm (API in this process, a cpu worker process) per batching setting, on the same Redis.
async function startFarm(batching: 'on' | 'off') {
  const farmEnv = { ...env, TRTFARM_QUEUE_PREFIX: `${prefix}-${batching}`, TRTFARM_BATCHING: batching };
  const worker = await startChild(['worker/main.ts', '--device', 'cpu'], { ...farmEnv, LOG_LEVEL: 'info' }, '"msg":"worker ready"');
  const app = await buildApp({ config: loadConfig(farmEnv), engine, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const post = (url: string, body: unknown) =>
    fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id: buildId } = await (await post('/v1/builds', mlp)).json();
  let plan: string | undefined;
  while (!plan) {
    const status = await (await fetch(`${base}/v1/builds/${buildId}`)).json();
    if (status.status === 'failed') throw new Error(status.error.message);
    plan = status.plan?.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const inferBody = JSON.stringify({ plan, inputs: { x: { shape: [1, 64], data: random(64) } } });
  const infer = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(`${base}/v1/infer?wait=30000`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => {
          const body = JSON.parse(text);
          if (body.outputs?.fc3?.data?.length === 10) resolve();
          else reject(new Error(`unexpected answer ${answer.statusCode}: ${text}`));
        });
      });
      request.on('error', reject);
      request.end(inferBody);
    });
  return { worker, app, plan, infer };
}

// node:http with keep-alive rather than fetch: the client shares the API's cores, and is the
// lighter of the two.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const batched = await startFarm('on');
const unbatched = await startFarm('off');
const plan = batched.plan;

const rawQueueName = 'bench-raw';
const rawWorker = await startChild(['bench/farm-raw-worker.ts', redisUrl, prefix, rawQueueName, String(config.inferConcurrency)], env, 'raw worker ready');
const { hostname, port } = new URL(redisUrl);
const rawQueue = new Queue(rawQueueName, { connection: { host: hostname, port: Number(port) }, prefix });
const rawEvents = new QueueEvents(rawQueueName, { connection: { host: hostname, port: Number(port) }, prefix });
await rawEvents.waitUntilReady();
// The raw side waits the way the API does (a watch registered before the add, no extra round
// trip), so the ratio measures the farm's own cost, not a difference in how results are awaited.
const rawWatcher = new JobWatcher(rawEvents);
let rawJobs = 0;
const viaRawBullmq = async () => {
  const jobId = `raw.${++rawJobs}`;
  const watch = rawWatcher.watch(jobId, 30_000);
  await rawQueue.add('noop', { plan, inputs: {} }, { jobId, removeOnComplete: { age: 600, count: 10_000 } });
  if ((await watch.outcome).state !== 'completed') throw new Error(`raw job ${jobId} did not complete`);
};

const rows: string[] = [];
for (const concurrency of CONCURRENCIES) {
  const on = await measure(concurrency, batched.infer);
  const off = await measure(concurrency, unbatched.infer);
  const raw = await measure(concurrency, viaRawBullmq);
  const f = (n: number) => n.toFixed(1);
  const ratio = (p: Point) => `${(p.perSecond / raw.perSecond).toFixed(2)}×`;
  rows.push(
    `| ${concurrency} | ${f(on.perSecond)} | ${f(on.p50)} | ${f(on.p99)} | ${f(off.perSecond)} | ${f(off.p50)} | ${f(off.p99)} | ${f(raw.perSecond)} | ${f(raw.p50)} | ${f(raw.p99)} | ${ratio(on)} | ${ratio(off)} |`,
  );
  process.stdout.write(`${rows.at(-1)}\n`);
}

// The load average tells whether other work on the machine shared its cores during the run.
const machine = `${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, load average ${os.loadavg()[0].toFixed(1)} at the end`;
const table = [
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
  '',
  `Small MLP (64 → 256 → 256 → 10, ReLU, batch 1..64), batch-1 requests, cpu worker (inference concurrency ${config.inferConcurrency}), ` +
    `${SECONDS_PER_POINT} s per point; command \`npm run bench:farm\`; ` +
    `farm = HTTP POST /v1/infer?wait (JSON) → 200 with outputs (API, worker and redis-server on this machine), batching on (TRTFARM_BATCH_DELAY_US=${config.batchDelayUs}) and off; ` +
    'raw = Queue.add of one job per request and a wait on QueueEvents (as the API waits) with a no-op BullMQ worker process on the same Redis.',
  '',
  '| clients | batched req/s | p50 ms | p99 ms | unbatched req/s | p50 ms | p99 ms | raw req/s | p50 ms | p99 ms | batched/raw | unbatched/raw |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
].join('\n');
process.stdout.write(`\n${table}\n`);
await appendFile(path.join(ROOT, 'bench', 'results-farm.md'), `\n${table}`);

await rawWatcher.close();
await rawQueue.obliterate({ force: true });
await rawQueue.close();
agent.destroy();
await Promise.all([stopChild(batched.worker), stopChild(unbatched.worker), stopChild(rawWorker)]);
await batched.app.close();
await unbatched.app.close();
await redis?.stop();
await rm(dataDir, { recursive: true, force: true });
