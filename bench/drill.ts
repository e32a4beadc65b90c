// `npm run drill -- [--trials N] [--redis-kills R] [--outage-ms T]`: failure drills against a
// farm of real processes (a redis-server with AOF, the API, a cpu worker), through HTTP only, with
// inferences posted all along (README, "Drills").
//   1. N times: a build active (builds sleep TRTFARM_TEST_BUILD_DELAY_MS first) and, if one is
//      caught, an inference running, when the worker is SIGKILLed; a new worker started, and the
//      build awaited before the next kill.
//   2. R times: builds and inferences in flight, redis-server SIGKILLed, down for T ms (requests
//      meanwhile are answered 503: not accepted), restarted on the same port and AOF.
// Then every accepted request (build 202/200, inference 202/200) is read back: lost = not
// completed with the right result; duplicated = completed more than once (counted from each
// queue's event stream, read from its start; per job: a job may hold several inferences). Prints
// the figures; exits 1 if any was lost or duplicated.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { QueueEvents } from 'bullmq';
import { Command } from 'commander';
import { Redis } from 'ioredis';

import { queueName } from '../shared/queue/names.js';
import { LocalRedis } from '../bin/local-redis.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PREFIX = 'drill';
const BUILD_DELAY_MS = 800;

const opts = new Command()
  .option('--trials <n>', 'worker kills', (v) => Number(v), 10)
  .option('--redis-kills <n>', 'redis-server kills', (v) => Number(v), 2)
  .option('--outage-ms <ms>', 'how long Redis stays down each time', (v) => Number(v), 3000)
  .parse()
  .opts<{ trials: number; redisKills: number; outageMs: number }>();

// A child process of the farm; `ready` resolves when its output shows `marker`.
function child(args: string[], env: NodeJS.ProcessEnv, marker: string): { process: ChildProcess; ready: Promise<string> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const line = output.split('\n').find((l) => l.includes(marker));
      if (line) resolve(line);
    };
    proc.stdout!.on('data', look);
    proc.stderr!.on('data', look);
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}):\n${output}`)));
  });
  ready.catch(() => {});
  return { process: proc, ready };
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-drill-'));
const redisDir = path.join(dataDir, 'redis');
let redis = await LocalRedis.start({ dir: redisDir, persistent: true });
const env = {
  ...process.env,
  REDIS_URL: redis.url,
  TRTFARM_DATA_DIR: dataDir,
  TRTFARM_QUEUE_PREFIX: PREFIX,
  PORT: '0',
  LOG_LEVEL: 'warn',
  TRTFARM_HEARTBEAT_MS: '500',
  TRTFARM_LOCK_MS: '2000',
  TRTFARM_STALLED_CHECK_MS: '1000',
};
const workerEnv = { ...env, LOG_LEVEL: 'info', TRTFARM_TEST_BUILD_DELAY_MS: String(BUILD_DELAY_MS) };
const api = child(['api/server.ts'], env, 'trtfarm API listening on');
const url = (await api.ready).match(/http:\/\/\S+/)![0];
const startWorker = async () => {
  const worker = child(['worker/main.ts', '--device', 'cpu'], workerEnv, '"msg":"worker ready"');
  await worker.ready;
  return worker.process;
};
let worker = await startWorker();

async function call(method: string, route: string, body?: unknown): Promise<{ status: number; json: any }> {
  try {
    const answer = await fetch(`${url}${route}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: answer.status, json: await answer.json().catch(() => undefined) };
  } catch {
    return { status: 0, json: undefined };
  }
}

// The seed (out = [Σx + b0, −Σx + b1]) with a bias of its own per build, so every build is new.
const weights = [...Array(60).fill(1), ...Array(60).fill(-1)];
const seed = (bias: [number, number]) => ({
  network: { inputs: [{ name: 'x', shape: [1, 3, 4, 5] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights, bias }] },
  backend: 'cpu',
});

const counts = { buildsRefused: 0, infersRefused: 0 };
const builds: { id: string; bias: [number, number] }[] = [];
const infers: { id: string; sums: number[] }[] = [];
let builtCount = 0;
async function submitBuild(): Promise<void> {
  const bias: [number, number] = [++builtCount, -builtCount];
  const answer = await call('POST', '/v1/builds', seed(bias));
  if (answer.status === 202 || answer.status === 200) builds.push({ id: answer.json.id, bias });
  else counts.buildsRefused++;
}

// The inferences' plan: rows of x [ROWS, K] through an FC of K × K ones with bias j, so that an
// inference takes milliseconds (some are running when a worker is killed) and its exact answer
// is row sum + j.
const ROWS = 16;
const K = 2048;
const inferNetwork = {
  network: {
    inputs: [{ name: 'x', shape: [ROWS, K] }],
    layers: [{
      name: 'fc', type: 'fullyConnected', outputs: K,
      weights: { base64: Buffer.from(new Float32Array(K * K).fill(1).buffer).toString('base64') },
      bias: Array.from({ length: K }, (_, j) => j),
    }],
  },
  backend: 'cpu',
};
const posted = await call('POST', '/v1/builds', inferNetwork);
if (posted.status !== 202 && posted.status !== 200) throw new Error(`the inference plan was refused: ${JSON.stringify(posted.json)}`);
builds.push({ id: posted.json.id, bias: [0, 0] });
let plan: string | undefined;
while (!plan) {
  plan = (await call('GET', `/v1/builds/${posted.json.id}`)).json?.plan?.id;
  await sleep(50);
}
const meta = (await call('GET', `/v1/plans/${plan}/meta`)).json;
const completions = new Map<string, number>();
const stalled = { build: 0, infer: 0 };
// A build's or inference's state once completed or failed, or at `until`.
async function final(route: string, until: number): Promise<any> {
  for (;;) {
    const answer = await call('GET', route);
    if (answer.json?.status === 'completed' || answer.json?.status === 'failed' || Date.now() > until) return answer.json;
    await sleep(100);
  }
}
// Their own connections, which wait out the outages (BullMQ leaves them open: closed at the end).
const eventConnections: Redis[] = [];
const watchers = ['build', 'infer'].map((kind) => {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  connection.on('error', () => {});
  eventConnections.push(connection);
  const events = new QueueEvents(queueName(kind as 'build' | 'infer', meta.compatKey), { connection, prefix: PREFIX, lastEventId: '0-0' });
  events.on('completed', ({ jobId }) => completions.set(jobId, (completions.get(jobId) ?? 0) + 1));
  // A job whose worker died, put back for another: what the kills hit.
  events.on('stalled', () => stalled[kind as 'build' | 'infer']++);
  events.on('error', () => {});
  return events;
});

// Inferences all along, about 50 a second.
let loading = true;
const load = (async () => {
  while (loading) {
    const x = Array.from({ length: ROWS * K }, () => Math.floor(Math.random() * 4));
    const answer = await call('POST', '/v1/infer', { plan, inputs: { x: { shape: [ROWS, K], data: x } } });
    const sums = Array.from({ length: ROWS }, (_, r) => x.slice(r * K, (r + 1) * K).reduce((a, b) => a + b, 0));
    if (answer.status === 202 || answer.status === 200) infers.push({ id: answer.json.id, sums });
    else counts.infersRefused++;
    await sleep(20);
  }
})();

const started = Date.now();
// Each build is killed once: it is active (sleeping, before its build) when its worker is killed,
// and the next trial waits for it to be taken over and completed.
for (let trial = 1; trial <= opts.trials; trial++) {
  await submitBuild();
  const { id } = builds[builds.length - 1];
  while ((await call('GET', `/v1/builds/${id}`)).json?.status !== 'active') await sleep(10);
  await sleep(Math.random() * (BUILD_DELAY_MS / 4));
  // And mid-inference: the kill waits (up to half the build's delay) for a running inference.
  const until = Date.now() + BUILD_DELAY_MS / 2;
  while (Date.now() < until && !(await Promise.all(infers.slice(-4).map((i) => call('GET', `/v1/infer/${i.id}`)))).some((a) => a.json?.status === 'active')) {}
  worker.kill('SIGKILL');
  worker = await startWorker();
  const status = await final(`/v1/builds/${id}`, Date.now() + 60_000);
  process.stderr.write(`worker kill ${trial}/${opts.trials}: build ${status?.status}\n`);
}

async function redisPid(): Promise<number> {
  const client = new Redis(redis.url);
  const pid = Number((await client.info('server')).match(/process_id:(\d+)/)?.[1]);
  client.disconnect();
  return pid;
}
// Each outage catches its own builds (queued and active): the next waits for them to complete.
for (let kill = 1; kill <= opts.redisKills; kill++) {
  const from = builds.length;
  for (let i = 0; i < 4; i++) await submitBuild();
  await sleep(300);
  process.kill(await redisPid(), 'SIGKILL');
  await sleep(opts.outageMs);
  redis = await LocalRedis.start({ dir: redisDir, persistent: true, port: redis.port });
  const states = [];
  for (const { id } of builds.slice(from)) states.push((await final(`/v1/builds/${id}`, Date.now() + 60_000))?.status);
  process.stderr.write(`redis kill ${kill}/${opts.redisKills}: builds ${states.join(', ')}\n`);
}
loading = false;
await load;

// Every accepted request, read back until it completes (or the deadline).
const deadline = Date.now() + 120_000;
const lost: string[] = [];
for (const build of builds) {
  const status = await final(`/v1/builds/${build.id}`, deadline);
  if (status?.status !== 'completed') lost.push(`build ${build.id}: ${JSON.stringify(status)}`);
}
for (const infer of infers) {
  const status = await final(`/v1/infer/${infer.id}`, deadline);
  const data: number[] | undefined = status?.outputs?.fc?.data;
  const exact = data?.length === ROWS * K && data.every((value, i) => value === infer.sums[Math.floor(i / K)] + (i % K));
  if (status?.status !== 'completed' || !exact) lost.push(`inference ${infer.id}: ${status?.status}${status?.error ? ` ${status.error.message}` : ''}`);
}
await sleep(500); // the last completion events
// An inference id is its job's id, or the job's id and its place in the job (requests of one plan
// are batched into jobs: \`<class>.<uuid>.<index>\`).
const jobOf = (inferenceId: string) => inferenceId.match(/^(.+\.[0-9a-f-]{36})(?:\.\d+)?$/)?.[1] ?? inferenceId;
const jobIds = [...new Set([...builds.map((b) => b.id), ...infers.map((i) => jobOf(i.id))])];
const duplicated = jobIds.filter((id) => (completions.get(id) ?? 0) > 1);
const noEvent = jobIds.filter((id) => !completions.has(id)).length;

const figures = {
  workerKills: opts.trials,
  redisKills: opts.redisKills,
  outageMs: opts.outageMs,
  seconds: Math.round((Date.now() - started) / 1000),
  buildsAccepted: builds.length,
  buildsRefused: counts.buildsRefused,
  inferencesAccepted: infers.length,
  inferencesRefused: counts.infersRefused,
  inferenceJobs: new Set(infers.map((i) => jobOf(i.id))).size,
  buildsTakenOver: stalled.build,
  inferencesTakenOver: stalled.infer,
  lost: lost.length,
  duplicated: duplicated.length,
  completedWithoutEvent: noEvent,
};
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
for (const line of [...lost, ...duplicated.map((id) => `duplicated: ${id} ×${completions.get(id)}`)].slice(0, 20)) process.stdout.write(`${line}\n`);

await Promise.all(watchers.map((w) => w.close()));
eventConnections.forEach((connection) => connection.disconnect());
worker.kill('SIGTERM');
api.process.kill('SIGTERM');
await Promise.all([worker, api.process].map((p) => (p.exitCode === null ? new Promise((r) => p.once('exit', r)) : undefined)));
await redis.stop();
await rm(dataDir, { recursive: true, force: true });
process.exit(lost.length || duplicated.length ? 1 : 0);
