// Where the time of one large build goes: a 4-layer 4096×4096 MLP (weights as base64 float32,
// ≈ 358 MB of JSON) posted to POST /v1/builds over real HTTP, with a cpu worker process, until
// GET /v1/builds/:id says completed. Then each step the API and the worker take, timed alone on
// the same body. `npm run bench:large-build` (starts its own redis-server unless REDIS_URL is set;
// BENCH_PRECISION, default fp16). Appends the table to bench/results-large-build.md.
import { Queue } from 'bullmq';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildApp } from '../api/app.js';
import { loadConfig } from '../shared/config.js';
import { engine } from '../shared/engine/addon.js';
import { buildId as buildIdOf, buildRequestSchema, NetworkIdentity, normalizeBuildRequest } from '../shared/network/build-request.js';
import type { Precision } from '../shared/network/spec.js';
import type { PlanMeta } from '../shared/store/plan-meta.js';
import { LocalRedis } from '../bin/local-redis.js';
import { mlpOnnx } from '../test/helpers/onnx-model.js';
import { FsPlanStore } from '../shared/store/fs-plan-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = 4;
const N = 4096;
const PRECISION = (process.env.BENCH_PRECISION ?? 'fp16') as Precision;

function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', '--device', 'cpu'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"worker ready"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)));
  });
}

function request(url: string, method: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const call = http.request(url, { method }, (answer) => {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (text += chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text }));
    });
    call.on('error', reject);
    call.end();
  });
}

// The upload from another process, as a client would do it: sending 358 MB from the API's own
// process would take the API's event loop and cores. Prints { status, text, acceptedAt }.
const POSTER = `
const body = require('node:fs').readFileSync(process.argv[2]);
const call = require('node:http').request(process.argv[1], { method: 'POST', headers: { 'content-type': process.argv[3], 'content-length': body.length } }, (answer) => {
  let text = '';
  answer.on('data', (chunk) => (text += chunk));
  answer.on('end', () => process.stdout.write(JSON.stringify({ status: answer.statusCode, text, acceptedAt: Date.now() })));
});
process.stdout.write('sending\\n');
call.end(body);`;

function postFile(url: string, file: string, contentType = 'application/json'): Promise<{ status: number; text: string; postedAt: number; acceptedAt: number }> {
  const child = spawn(process.execPath, ['-e', POSTER, url, file, contentType], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  let postedAt = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (!postedAt && output.startsWith('sending\n')) postedAt = Date.now();
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve({ ...JSON.parse(output.slice('sending\n'.length)), postedAt }) : reject(new Error(`poster exited (${code})`)))),
  );
}

// Deterministic weights in [-0.5, 0.5) (`shift` gives other weights, another build): a fresh
// network per run would need a fresh build anyway.
function largeMlpBody(shift = 0): string {
  const layers = Array.from({ length: LAYERS }, (_, l) => {
    const weights = new Float32Array(N * N);
    for (let i = 0; i < weights.length; i++) weights[i] = (((i + l + shift) * 7919) % 1000) / 1000 - 0.5;
    const bias = new Float32Array(N).fill(0.01 * (l + 1));
    const base64 = (values: Float32Array) => ({ base64: Buffer.from(values.buffer).toString('base64') });
    return { name: `fc${l}`, type: 'fullyConnected', outputs: N, weights: base64(weights), bias: base64(bias) };
  });
  // report: false: what is timed is the way in and the build; the report's own time is its report.ms.
  return JSON.stringify({ network: { inputs: [{ name: 'x', shape: [-1, N] }], layers }, ...OPTIONS });
}

const OPTIONS = { precision: PRECISION, profile: { x: { min: [1, N], opt: [8, N], max: [64, N] } }, report: false };

// The same shape of network as an ONNX file (other weights: another build), uploaded as
// multipart/form-data with its options: the body as `curl -F model=@net.onnx -F options=…` sends it.
async function largeMlpMultipart(): Promise<{ body: Buffer; contentType: string }> {
  const layers = Array.from({ length: LAYERS }, (_, l) => {
    const weights = new Float32Array(N * N);
    for (let i = 0; i < weights.length; i++) weights[i] = (((i + l + 1) * 7919) % 1000) / 1000 - 0.5;
    return { weights, bias: new Float32Array(N).fill(0.02 * (l + 1)) };
  });
  const form = new FormData();
  form.append('model', new Blob([Buffer.from(mlpOnnx({ inputSize: N, layers }))]), 'mlp.onnx');
  form.append('options', JSON.stringify(OPTIONS));
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

// POST, then poll until completed; the rows of a client's view.
async function endToEndBuild(
  rows: [string, number, string][],
  label: string,
  url: string,
  file: string,
  bytes: number,
  contentType?: string,
): Promise<{ buildId: string; plan: PlanMeta }> {
  const answer = await postFile(url, file, contentType);
  if (answer.status !== 202) throw new Error(`POST ${label}: ${answer.status} ${answer.text.slice(0, 300)}`);
  const buildId: string = JSON.parse(answer.text).id;
  rows.push([`${label} → 202 (upload, checks, enqueue)`, answer.acceptedAt - answer.postedAt, `body ${MB(bytes)}, from another process`]);
  const base = url.replace(/\/v1\/builds$/, '');
  let polls = 0;
  let pollMs = 0;
  let status;
  for (;;) {
    const t = performance.now();
    status = JSON.parse((await request(`${base}/v1/builds/${buildId}`, 'GET')).text);
    pollMs += performance.now() - t;
    polls++;
    if (status.status === 'completed') break;
    if (status.status === 'failed') throw new Error(`build failed: ${status.error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const completed = Date.now();
  rows.push(['202 → GET says completed', completed - answer.acceptedAt, `${polls} polls, ${(pollMs / polls).toFixed(1)} ms each on average`]);
  rows.push([`total: ${label} → completed`, completed - answer.postedAt, `build ${status.plan.buildMs.toFixed(0)} ms`]);
  return { buildId, plan: status.plan };
}

// BullMQ's own timestamps of the job: when it was added, taken by the worker, finished.
async function workerRows(rows: [string, number, string][], buildId: string, plan: PlanMeta): Promise<void> {
  const queueName = (await app.farm.builds.get(buildId)).queue!;
  const job = await app.farm.queue(queueName).getJob(buildId);
  if (!job?.processedOn || !job.finishedOn) return;
  rows.push(['  job added → taken by the worker', job.processedOn - job.timestamp, '']);
  rows.push(['  worker: job processing (input, build, plan store)', job.finishedOn - job.processedOn, `of which build ${plan.buildMs.toFixed(0)} ms`]);
}

function timed<T>(rows: [string, number, string][], name: string, run: () => T, note: (value: T) => string = () => ''): T {
  const started = performance.now();
  const value = run();
  rows.push([name, performance.now() - started, note(value)]);
  return value;
}

async function timedAsync<T>(rows: [string, number, string][], name: string, run: () => Promise<T>, note: (value: T) => string = () => ''): Promise<T> {
  const started = performance.now();
  const value = await run();
  rows.push([name, performance.now() - started, note(value)]);
  return value;
}

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-bench-'));
const redis = process.env.REDIS_URL ? undefined : await LocalRedis.start({ dir: dataDir, persistent: false });
const redisUrl = process.env.REDIS_URL ?? redis!.url;
const prefix = `benchlarge${process.pid}`;
const env = { ...process.env, REDIS_URL: redisUrl, TRTFARM_DATA_DIR: dataDir, TRTFARM_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' };
const config = loadConfig(env);
const worker = await startWorker({ ...env, LOG_LEVEL: 'info' });
const app = await buildApp({ config, engine, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// Whatever fails, the worker and redis-server do not outlive the bench.
try {
  // The first build of this size in a fresh worker process pays for its memory once (page faults
  // on every fresh buffer: ~1-2 s here); a farm's workers run for long, so a first build warms it.
  const warmUpFile = path.join(dataDir, 'warm-up.json');
  await writeFile(warmUpFile, largeMlpBody(7));
  const body = largeMlpBody();
  const bodyFile = path.join(dataDir, 'body.json');
  await writeFile(bodyFile, body);
  const upload = await largeMlpMultipart();
  const uploadFile = path.join(dataDir, 'body.multipart');
  await writeFile(uploadFile, upload.body);
  // Making the bodies held this process's event loop, the API's, for seconds: the API's
  // backpressure would refuse the first POST until its event-loop delay sample has moved on.
  await sleep(2500);
  const loadBefore = os.loadavg()[0];

  // 1. End to end, as a client sees it: the JSON body, then an ONNX file as multipart.
  const endToEnd: [string, number, string][] = [];
  const warmUp: [string, number, string][] = [];
  await endToEndBuild(warmUp, 'warm-up: POST /v1/builds (JSON, other weights)', `${base}/v1/builds`, warmUpFile, body.length);
  endToEnd.push(['first build of a fresh worker (warm-up, other weights): POST → completed', warmUp[2][1], warmUp[2][2]]);
  const { buildId, plan: built } = await endToEndBuild(endToEnd, 'POST /v1/builds (JSON, base64 weights)', `${base}/v1/builds`, bodyFile, body.length);
  await workerRows(endToEnd, buildId, built);
  const status = { plan: built };
  const uploaded = await endToEndBuild(endToEnd, 'POST /v1/builds (multipart, ONNX file)', `${base}/v1/builds`, uploadFile, upload.body.length, upload.contentType);
  await workerRows(endToEnd, uploaded.buildId, uploaded.plan);

  // The worker deletes the input once the job is completed: none may be left behind.
  let inputLeft = 1;
  for (let i = 0; i < 20 && inputLeft; i++) {
    inputLeft = (await app.farm.redis.keys(`${prefix}:build-inputs:*`)).length;
    if (inputLeft) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (inputLeft) throw new Error(`the input of build ${buildId} was not deleted after it completed`);


  // 2. Each step alone, as the route and the processor do it.
  const steps: [string, number, string][] = [];
  const json = timed(steps, 'JSON.parse of the body', () => JSON.parse(body));
  const checked = timed(steps, 'zod schema (buildRequestSchema)', () => buildRequestSchema.parse(json));
  const normalized = await timedAsync(steps, 'normalize: base64 decode + finite check', () => normalizeBuildRequest(checked));
  const target = { backend: 'cpu' as const, compatKey: status.plan.compatKey as string };
  const identity = timed(steps, 'content hash (sha256 of the network, once)', () => new NetworkIdentity(normalized.network));
  const id = buildIdOf(identity.requestId(normalized.options), target.compatKey);
  timed(steps, 'engine.validate', () => engine.validate(normalized.network, { ...normalized.options, backend: target.backend }));
  const scratch = new Queue('bench-large-scratch', { connection: app.farm.redis, prefix });
  const inputs = app.farm.buildInputs;
  await timedAsync(steps, 'build input → Redis (BuildInputStore.put)', () => inputs.put(id, normalized, identity.key), (bytes) => MB(bytes));
  const data = { backend: target.backend, compatKey: target.compatKey };
  await timedAsync(steps, 'Queue.add (job data)', () => scratch.add('build', data, { jobId: id }), () => `${JSON.stringify(data).length} B`);
  await timedAsync(steps, 'worker/poll: getJob (whole job hash)', async () => (await scratch.getJob(id))!);
  await timedAsync(steps, 'worker: build input ← Redis + decode', () => inputs.get(id));
  const plan = Buffer.from((await (await fetch(`${base}/v1/plans/${status.plan.id}`)).arrayBuffer()));
  const store = new FsPlanStore(path.join(dataDir, 'bench-plans'));
  await timedAsync(steps, 'worker: plan store write (fs)', () => store.put(plan, { ...status.plan }), () => MB(plan.length));
  await scratch.obliterate({ force: true });
  await scratch.close();
  await inputs.delete(id);

  const row = ([name, ms, note]: [string, number, string]) => `| ${name} | ${ms.toFixed(0)} | ${note} |`;
  const machine = `${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ` +
    `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`;
  const table = [
    `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
    '',
    `${LAYERS} × FC ${N}→${N} + bias, ${PRECISION}, weights as base64 float32 (body ${MB(body.length)}), cpu worker process, API over HTTP.`,
    '',
    '| end to end | ms | |',
    '| --- | ---: | --- |',
    ...endToEnd.map(row),
    '',
    '| each step alone | ms | |',
    '| --- | ---: | --- |',
    ...steps.map(row),
    '',
  ].join('\n');
  process.stdout.write(`\n${table}\n`);
  await appendFile(path.join(ROOT, 'bench', 'results-large-build.md'), `\n${table}`);
} finally {
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGTERM');
  await exited;
  await app.close();
  await redis?.stop();
  await rm(dataDir, { recursive: true, force: true });
}
