// The REST side of bench/gpu/farm.sh, against a running farm: builds the seed (checked) and the
// 4×4096 MLP (fp16 on cuda; weights sent as base64) through POST /v1/builds, then loads the farm
// with batch-1 KServe v2 requests — 1 / 16 / 64 / 256 clients, JSON and binary tensor data —
// measuring throughput and p50/p99, beside the engine's own batched ceiling measured here in
// the same run (Engine.infer on the same plan at its max batch, rows/s). Writes
// bench/gpu/results-farm.md. The load runs in worker threads (bench/gpu/farm-load.mjs) with
// keep-alive connections, so that the client is not what limits the figures.
// Usage: tsx bench/gpu/farm-client.ts http://127.0.0.1:18080
// Settings: BACKEND (cuda; cpu for a local smoke test), WIDTH (4096), LAYERS (4), PRECISION
// (fp16 on cuda, fp32 on cpu), MAX_BATCH (256), CLIENTS (1,16,64,256), SECONDS (5), THREADS.
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import http from 'node:http';

import { loadConfig } from '../../shared/config.js';
import { engine } from '../../shared/engine/addon.js';
import { mlpNetwork, random } from './mlp.js';

const base = process.argv[2];
const BACKEND = process.env.BACKEND ?? 'cuda';
const WIDTH = Number(process.env.WIDTH ?? 4096);
const LAYERS = Number(process.env.LAYERS ?? 4);
const PRECISION = process.env.PRECISION ?? (BACKEND === 'cpu' ? 'fp32' : 'fp16');
const MAX_BATCH = Number(process.env.MAX_BATCH ?? 256);
const CLIENTS = (process.env.CLIENTS ?? '1,16,64,256').split(',').map(Number);
const SECONDS = Number(process.env.SECONDS ?? 5);
const THREADS = Number(process.env.THREADS ?? Math.max(1, Math.min(8, Math.floor(os.cpus().length / 4))));
// What the farm under test was started with (farm.sh passes its environment on).
const { apiProcesses: API_PROCESSES, redisAof: REDIS_AOF } = loadConfig();
const HERE = path.dirname(fileURLToPath(import.meta.url));

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(base + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

// A build's POST on a connection of its own, its body made beforehand: a body of hundreds of MB
// takes the client seconds to make, during which a pooled keep-alive connection may be closed by
// the server (its keep-alive timeout) just as the upload starts.
function postFresh(url: string, body: Buffer): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(base + url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (answer) => {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (text += chunk));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, json: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function build(name: string, request: object): Promise<{ id: string; buildMs: number }> {
  const body = Buffer.from(JSON.stringify(request));
  const start = performance.now();
  const queued = await postFresh('/v1/builds', body);
  assert.ok(queued.status === 202 || queued.status === 200, `${name}: ${queued.status} ${JSON.stringify(queued.json)}`);
  for (;;) {
    const { json } = await call('GET', `/v1/builds/${queued.json.id}`);
    if (json.status === 'completed') {
      console.log(`${name}: built in ${(performance.now() - start).toFixed(0)} ms through REST (worker buildMs ${json.plan.buildMs})`);
      return { id: json.plan.id, buildMs: json.plan.buildMs };
    }
    assert.notEqual(json.status, 'failed', `${name}: ${JSON.stringify(json.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Point {
  perSecond: number;
  p50: number;
  p99: number;
  wrong: number;
}

async function load(url: string, headers: Record<string, string>, body: Uint8Array, clients: number, expectedBytes: number): Promise<Point> {
  const threads = Math.min(THREADS, clients);
  const results = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const share = Math.floor(clients / threads) + (t < clients % threads ? 1 : 0);
      const worker = new Worker(path.join(HERE, 'farm-load.mjs'), {
        workerData: { url, headers, body, clients: share, seconds: SECONDS, expectedBytes },
      });
      return new Promise<{ latencies: number[]; wrong: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    }),
  );
  // Each thread warms up, then times a window of SECONDS: the windows overlap but for the warm-ups.
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { perSecond: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99), wrong: results.reduce((sum, r) => sum + r.wrong, 0) };
}

// The engine alone, on the same plan, in this process: the farm's ceiling.
async function engineCeiling(planId: string): Promise<{ single: number; concurrent: number }> {
  const plan = Buffer.from(await (await fetch(`${base}/v1/plans/${planId}`)).arrayBuffer());
  const loaded = await engine.loadEngine(plan, BACKEND === 'cpu' ? undefined : { device: 0 });
  const x = { shape: [MAX_BATCH, WIDTH], data: random(7, MAX_BATCH * WIDTH, 1) };
  const rowsPerSecond = async (concurrent: number) => {
    for (let i = 0; i < 3; i++) await Promise.all(Array.from({ length: concurrent }, () => loaded.infer({ x })));
    let calls = 0;
    const start = performance.now();
    const end = start + Math.min(3, SECONDS) * 1000;
    await Promise.all(
      Array.from({ length: concurrent }, async () => {
        while (performance.now() < end) {
          await loaded.infer({ x });
          calls++;
        }
      }),
    );
    return (calls * MAX_BATCH) / ((performance.now() - start) / 1000);
  };
  const single = await rowsPerSecond(1);
  const concurrent = await rowsPerSecond(4);
  loaded.dispose();
  return { single, concurrent };
}

const workers = await call('GET', '/v1/workers');
for (const w of workers.json) console.log(`worker ${w.id}: ${w.backend} on ${JSON.stringify(w.device)}`);

const seedNetwork = {
  inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
  layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : -1)), bias: [0, 0] }],
};
const seed = await build('seed fp32', { network: seedNetwork, backend: BACKEND });
const seedAnswer = await call('POST', `/v2/models/${seed.id}/infer`, { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: Array.from({ length: 60 }, (_, i) => i) }] });
assert.deepEqual(seedAnswer.json.outputs[0].data, [1770, -1770], JSON.stringify(seedAnswer.json));

const profile = { x: { min: [1, WIDTH], opt: [64, WIDTH], max: [MAX_BATCH, WIDTH] } };
const mlp = await build(`mlp ${LAYERS}x${WIDTH} ${PRECISION}`, { network: mlpNetwork(LAYERS, WIDTH), backend: BACKEND, precision: PRECISION, profile });
const output = `relu${LAYERS - 1}`;

const x = random(99, WIDTH, 1);
const url = `${base}/v2/models/${mlp.id}/infer`;
const jsonBody = Buffer.from(JSON.stringify({ inputs: [{ name: 'x', shape: [1, WIDTH], datatype: 'FP32', data: Array.from(x) }] }));
const binaryHeader = Buffer.from(
  JSON.stringify({ inputs: [{ name: 'x', shape: [1, WIDTH], datatype: 'FP32', parameters: { binary_data_size: WIDTH * 4 } }], outputs: [{ name: output, parameters: { binary_data: true } }] }),
);
const binaryBody = Buffer.concat([binaryHeader, Buffer.from(x.buffer)]);
const binaryHeaders = { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(binaryHeader.length) };
// One answer of each form first: it loads the engine on the worker, and gives the binary answer's size.
const first = await fetch(url, { method: 'POST', headers: binaryHeaders, body: binaryBody });
assert.equal(first.status, 200, await first.clone().text());
const binaryBytes = (await first.arrayBuffer()).byteLength;
assert.equal((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonBody })).status, 200);

const ceiling = await engineCeiling(mlp.id);
console.log(`engine alone, batch ${MAX_BATCH}: ${ceiling.single.toFixed(0)} rows/s one call at a time, ${ceiling.concurrent.toFixed(0)} with 4 concurrent calls`);

const rows: string[] = [];
for (const clients of CLIENTS) {
  const json = await load(url, { 'content-type': 'application/json' }, jsonBody, clients, 0);
  const binary = await load(url, binaryHeaders, binaryBody, clients, binaryBytes);
  const f = (n: number) => n.toFixed(1);
  rows.push(`| ${clients} | ${f(json.perSecond)} | ${f(json.p50)} | ${f(json.p99)} | ${f(binary.perSecond)} | ${f(binary.p50)} | ${f(binary.p99)} | ${json.wrong + binary.wrong} |`);
  console.log(rows.at(-1));
}
const stats = (await call('GET', `/v2/models/${mlp.id}/stats`)).json.model_stats[0];
const meanBatch = stats.execution_count > 0 ? stats.inference_count / stats.execution_count : 0;

let gpu = 'no GPU';
try {
  gpu = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' }).trim().split('\n')[0];
} catch {
  // a cpu smoke run
}
const machine = `${gpu}; ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}; Node ${process.versions.node}`;
const table = [
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${machine}`,
  '',
  `Command: \`TRTFARM_API_PROCESSES=${API_PROCESSES} TRTFARM_REDIS_AOF=${REDIS_AOF ? 'on' : 'off'} bash bench/gpu/farm.sh\` (BACKEND=${BACKEND} WIDTH=${WIDTH} LAYERS=${LAYERS} PRECISION=${PRECISION} MAX_BATCH=${MAX_BATCH}). ` +
    `The farm as \`npm start\` runs it (one worker per GPU, the API as ${API_PROCESSES} processes, a private Redis with its AOF ${REDIS_AOF ? 'on' : 'off'}); ${LAYERS} × FC ${WIDTH}→${WIDTH} + ReLU, ${PRECISION} plan, batch 1..${MAX_BATCH}; ` +
    `batch-1 \`POST /v2/models/:id/infer\`, FP32, JSON or binary tensor data (input and output); ${SECONDS} s per point after a warm-up, ` +
    `the load from ${THREADS} worker threads with keep-alive connections.`,
  '',
  `Engine alone on the same plan, in the client process, batch ${MAX_BATCH}: **${ceiling.single.toFixed(0)} rows/s** one call at a time, ` +
    `${ceiling.concurrent.toFixed(0)} rows/s with 4 concurrent calls. Mean executed batch in the farm over the run: ${meanBatch.toFixed(1)} ` +
    `(${stats.inference_count} rows in ${stats.execution_count} engine calls).`,
  '',
  '| clients | JSON req/s | JSON p50 ms | JSON p99 ms | binary req/s | binary p50 ms | binary p99 ms | wrong answers |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows,
  '',
].join('\n');
console.log(`\n${table}`);
await appendFile(path.join(HERE, 'results-farm.md'), `\n${table}`);
