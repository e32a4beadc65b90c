// The REST side of bench/gpu/farm.sh: against a running farm with a cuda worker, builds the seed
// and the 4×4096 MLP (weights sent as base64) through POST /v1/builds, then times
// POST /v1/infer?wait= from request to result (median of 20, after one warm-up that loads the
// engine on the worker). Usage: tsx bench/gpu/farm-client.ts http://127.0.0.1:18080
import assert from 'node:assert/strict';
import { float32ToBase64 } from '../../shared/network/base64.js';

const base = process.argv[2];
const WIDTH = 4096;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

// mulberry32, as the tests' random networks: the same weights on every run.
function random(seed: number, count: number, scale: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: count }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  });
}

const base64 = (data: Float32Array) => ({ base64: float32ToBase64(data) });

async function build(name: string, request: object): Promise<string> {
  const start = performance.now();
  const queued = await call('POST', '/v1/builds', request);
  assert.ok(queued.status === 202 || queued.status === 200, `${name}: ${queued.status} ${JSON.stringify(queued.json)}`);
  for (;;) {
    const { json } = await call('GET', `/v1/builds/${queued.json.id}`);
    if (json.status === 'completed') {
      const ms = performance.now() - start;
      console.log(`${name}: built in ${ms.toFixed(0)} ms through REST (worker buildMs ${json.plan.buildMs}, plan ${(json.plan.bytes / 2 ** 20).toFixed(1)} MiB)`);
      return json.plan.id;
    }
    assert.notEqual(json.status, 'failed', `${name}: ${JSON.stringify(json.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function timeInfer(name: string, plan: string, shape: number[], data: number[], check?: (out: number[]) => void) {
  const request = { plan, inputs: { x: { shape, data } } };
  const times: number[] = [];
  for (let i = 0; i <= 20; i++) {
    const start = performance.now();
    const { status, json } = await call('POST', '/v1/infer?wait=30000', request);
    const ms = performance.now() - start;
    assert.equal(status, 200, `${name}: ${JSON.stringify(json)}`);
    if (i === 0) {
      const output = Object.values(json.outputs)[0] as { data: number[] };
      check?.(output.data);
      console.log(`${name}: first request (loads the engine on the worker) ${ms.toFixed(1)} ms`);
    } else times.push(ms);
  }
  times.sort((a, b) => a - b);
  console.log(`${name}: REST request → result median ${times[10].toFixed(2)} ms (min ${times[0].toFixed(2)}, max ${times[19].toFixed(2)})`);
}

const workers = await call('GET', '/v1/workers');
for (const w of workers.json) console.log(`worker ${w.id}: ${w.backend} on ${JSON.stringify(w.device)}`);

const seedNetwork = {
  inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
  layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: Array.from({ length: 120 }, (_, i) => (i < 60 ? 1 : -1)), bias: [0, 0] }],
};
const seedPlan = await build('seed fp32', { network: seedNetwork, backend: 'cuda' });
await timeInfer('seed fp32', seedPlan, [1, 3, 4, 5], Array.from({ length: 60 }, (_, i) => i), (out) =>
  assert.deepEqual(out, [1770, -1770]),
);

const layers = [];
for (let l = 0; l < 4; l++) {
  layers.push({ name: `fc${l}`, type: 'fullyConnected', outputs: WIDTH, weights: base64(random(10 + l, WIDTH * WIDTH, 1 / 64)), bias: base64(random(20 + l, WIDTH, 0.1)) });
  layers.push({ name: `relu${l}`, type: 'activation', kind: 'relu' });
}
const mlp = { inputs: [{ name: 'x', shape: [-1, WIDTH] }], layers };
const profile = { x: { min: [1, WIDTH], opt: [8, WIDTH], max: [64, WIDTH] } };
const mlpPlan = await build('mlp 4x4096 fp16', { network: mlp, backend: 'cuda', precision: 'fp16', profile });
for (const batch of [1, 8, 64]) {
  const x = Array.from(random(99, batch * WIDTH, 1));
  await timeInfer(`mlp 4x4096 fp16 batch ${batch}`, mlpPlan, [batch, WIDTH], x);
}
