// Limits on what a network becomes once built (issue 9 item 4), as the API answers them: a small
// request whose plan would store too many weights, or whose constant folding would be too much
// work, is refused 413 with the engine's message naming the limit, every way it comes in (JSON,
// ONNX, multipart, sweeps), and nothing is queued; a build past TRTFARM_BUILD_TIMEOUT_MS is
// cancelled and fails with a message. The estimates and the cancellation are the engine's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_PLAN_WEIGHT_BYTES } from '../../shared/network/limits.js';
import { floatTensor, node, onnxModel } from '../helpers/onnx-model.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { randomValues } from './seed.js';
import { farmForSuite } from './suite-farm.js';
import { TestFarm } from './test-farm.js';

const N = 1024;
const base64 = (values: number[]) => ({ base64: Buffer.from(Float32Array.from(values).buffer).toString('base64') });

// x [1, N] · W for 100 matmuls, summed: one N × N constant (4 MiB, ~5.6 MB as base64) that fusion
// stores once per matmul, 400 MiB of plan.
function sharedConstantJson() {
  const layers: object[] = [{ name: 'W', type: 'constant', shape: [N, N], values: base64(randomValues(N * N)) }];
  for (let i = 0; i < 100; i++) {
    layers.push({ name: `m${i}`, type: 'matrixMultiply', inputs: ['x', 'W'] });
    if (i > 0) layers.push({ name: `s${i}`, type: 'elementWise', op: 'sum', inputs: [i === 1 ? 'm0' : `s${i - 1}`, `m${i}`] });
  }
  return { network: { inputs: [{ name: 'x', shape: [1, N] }], layers, outputs: ['s99'] }, backend: 'cpu' };
}

function sharedConstantOnnx() {
  const nodes = [];
  for (let i = 0; i < 100; i++) {
    nodes.push(node('MatMul', ['x', 'W'], [`m${i}`]));
    if (i > 0) nodes.push(node('Add', [i === 1 ? 'm0' : `s${i - 1}`, `m${i}`], [`s${i}`]));
  }
  const model = onnxModel({ inputs: [{ name: 'x', shape: [1, N] }], outputs: ['s99'], initializers: [floatTensor('W', [N, N], randomValues(N * N), 'raw')], nodes });
  return { onnx: Buffer.from(model).toString('base64'), backend: 'cpu' };
}

// C · C · … · C (12 products of N × N constants, folded at build time: ~25 GFLOP), added to x.
function chainedConstantsJson() {
  const layers: object[] = [{ name: 'C', type: 'constant', shape: [N, N], values: base64(randomValues(N * N)) }];
  for (let i = 0; i < 12; i++) layers.push({ name: `p${i}`, type: 'matrixMultiply', inputs: [i === 0 ? 'C' : `p${i - 1}`, 'C'] });
  layers.push({ name: 'y', type: 'elementWise', op: 'sum', inputs: ['x', 'p11'] });
  return { network: { inputs: [{ name: 'x', shape: [N, N] }], layers }, backend: 'cpu' };
}

describe('limits on the built plan', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f));

  for (const [form, body] of [['JSON', sharedConstantJson], ['ONNX', sharedConstantOnnx]] as const) {
    it(`answers 413 to one 1024² constant read by 100 matmuls (${form}), whose plan would hold more than ${MAX_PLAN_WEIGHT_BYTES} bytes of weights`, async () => {
      const before = await farm.jobCount();
      const answer = await farm.post('/v1/builds', body());
      assert.equal(answer.statusCode, 413, answer.body);
      assert.match(answer.json().message, /limit/);
      assert.equal(await farm.jobCount(), before);
    });
  }

  it('answers 413 to the same model as a multipart upload and as a sweep', async () => {
    const before = await farm.jobCount();
    const form = new FormData();
    form.append('model', new Blob([Buffer.from(sharedConstantOnnx().onnx, 'base64')]), 'model.onnx');
    form.append('options', new Blob([JSON.stringify({ backend: 'cpu' })], { type: 'application/json' }), 'options.json');
    const encoded = new Response(form);
    const upload = await farm.app.inject({ method: 'POST', url: '/v1/builds', payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } });
    assert.equal(upload.statusCode, 413, upload.body);
    assert.match(upload.json().message, /limits\.planBytes/);
    const sweep = await farm.post('/v1/sweeps', { network: sharedConstantJson().network, precisions: ['fp32', 'fp16'], backends: ['cpu'] });
    assert.equal(sweep.statusCode, 413, sweep.body);
    assert.match(sweep.json().message, /limits\.planBytes/);
    assert.equal(await farm.jobCount(), before);
  });

  it('answers 413 to 12 chained products of 1024² constants (too much constant folding)', async () => {
    const before = await farm.jobCount();
    const answer = await farm.post('/v1/builds', chainedConstantsJson());
    assert.equal(answer.statusCode, 413, answer.body);
    assert.match(answer.json().message, /limit/);
    assert.equal(await farm.jobCount(), before);
  });
});

describe('the build time limit', () => {
  it('cancels a build that runs past TRTFARM_BUILD_TIMEOUT_MS and fails it with a message, without retries', async () => {
    const redis: TestRedis = await startTestRedis();
    const farm = await TestFarm.start(redis, { TRTFARM_BUILD_TIMEOUT_MS: '1' });
    try {
      await farm.startWorker();
      // Four 1024² layers: more than a millisecond of building.
      const layers = Array.from({ length: 4 }, (_, i) => ({ name: `fc${i}`, type: 'fullyConnected', outputs: N, weights: base64(randomValues(N * N)) }));
      const posted = await farm.post('/v1/builds', { network: { inputs: [{ name: 'x', shape: [1, N] }], layers }, backend: 'cpu' });
      assert.equal(posted.statusCode, 202, posted.body);
      await assert.rejects(farm.waitForBuild(posted.json().id), /build failed: the build ran past its time limit of 1 ms \(TRTFARM_BUILD_TIMEOUT_MS\)/);
      const job = await (await farm.cpuQueue('build')).getJob(posted.json().id);
      assert.equal(job?.attemptsMade, 1);
    } finally {
      await farm.stop();
      await redis.stop();
    }
  });
});
