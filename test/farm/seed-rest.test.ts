// The seed through the REST API, end to end on real Redis, a real worker and the real addon.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { mlpNetwork, mlpOnnx, randomMlp } from '../helpers/onnx-model.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';
import { parseNetwork } from '../../shared/network/schema.js';
import { randomValues, seedFullyConnected, seedInput, seedMatrixMultiply } from './seed.js';
import { farmForSuite } from './suite-farm.js';
import { TestFarm } from './test-farm.js';

describe('the seed through REST', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  it('builds the fullyConnected form and infers [1770, -1770] through /v1/infer', async () => {
    const build = await farm.build(seedFullyConnected);
    assert.equal(build.plan.backend, 'cpu');
    const answer = await farm.post(`/v1/infer?wait=10000`, { plan: build.plan.id, inputs: { x: seedInput } });
    assert.equal(answer.statusCode, 200, answer.body);
    const body = answer.json();
    assert.equal(body.status, 'completed');
    assert.deepEqual(body.outputs.fc, { shape: [1, 2, 1, 1], data: [1770, -1770] });

    const polled = await farm.get(`/v1/infer/${body.id}`);
    assert.deepEqual(polled.json(), body);
  });

  it("keeps a build's input in Redis only until its plan exists", async () => {
    const posted = await farm.post('/v1/builds', { ...seedFullyConnected, precision: 'bf16' });
    assert.equal(posted.statusCode, 202, posted.body);
    const { id } = posted.json();
    await farm.waitForBuild(id);
    // The worker deletes it on the job's completed event, just after the API can see the state.
    // Its record and its network (shared by builds of the same network, deleted with the last).
    const left = () => farm.app.farm.redis.keys(`${farm.config.queuePrefix}:build-inputs:*`);
    for (let i = 0; i < 100 && (await left()).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await left(), []);
  });

  it('builds the matrixMultiply + elementWise form to the same result, (1,2) through KServe v2', async () => {
    const build = await farm.build(seedMatrixMultiply);
    const answer = await farm.post(`/v2/models/${build.plan.id}/infer`, {
      id: 'seed',
      inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: seedInput.data }],
    });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json(), {
      model_name: build.plan.id,
      model_version: '1',
      id: 'seed',
      outputs: [{ name: 'out', shape: [1, 2], datatype: 'FP32', data: [1770, -1770] }],
    });
  });

  it('describes a plan: meta, KServe v2 metadata, and the plan bytes whose sha256 is its id', async () => {
    const build = await farm.build(seedFullyConnected);
    const meta = (await farm.get(`/v1/plans/${build.plan.id}/meta`)).json();
    assert.equal(meta.id, build.plan.id);
    assert.deepEqual(meta.inputs, [{ name: 'x', shape: [1, 3, 4, 5], dtype: 'float32' }]);
    assert.ok(meta.bytes > 0 && meta.buildMs >= 0 && Date.parse(meta.createdAt) > 0);

    const v2 = (await farm.get(`/v2/models/${build.plan.id}`)).json();
    assert.equal(v2.platform, 'trtfarm_cpu');
    assert.deepEqual(v2.inputs, [{ name: 'x', datatype: 'FP32', shape: [1, 3, 4, 5] }]);

    const bytes = await farm.get(`/v1/plans/${build.plan.id}`);
    assert.equal(bytes.headers['content-type'], 'application/octet-stream');
    assert.equal(bytes.rawPayload.length, meta.bytes);
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(bytes.rawPayload).digest('hex'), build.plan.id);
  });

  it('gives the same request the same id, in any form, and one plan: 200 completed once built', async () => {
    const first = await farm.build(seedFullyConnected);
    const weights = new Float32Array([...Array(60).fill(1), ...Array(60).fill(-1)]);
    // The same network with base64 weights, keys in another order and defaults spelled out.
    const sameInOtherForm = {
      backend: 'auto',
      precision: 'fp32',
      network: {
        layers: [{ bias: [0, 0], weights: { base64: Buffer.from(weights.buffer).toString('base64') }, outputs: 2, type: 'fullyConnected', name: 'fc' }],
        inputs: [{ shape: [1, 3, 4, 5], name: 'x' }],
      },
    };
    const jobsBefore = await farm.jobCount();
    const again = await farm.post('/v1/builds', sameInOtherForm);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().id, first.id);
    assert.equal(again.json().status, 'completed');
    assert.equal(again.json().plan.id, first.plan.id);
    assert.equal(await farm.jobCount(), jobsBefore);
  });

  it('still answers for a build whose job was removed (completed jobs are kept an hour)', async () => {
    const first = await farm.build(seedMatrixMultiply);
    const queue = await farm.cpuQueue('build');
    await queue.remove(first.id);
    assert.equal(await queue.getJob(first.id), undefined);
    const status = await farm.get(`/v1/builds/${first.id}`);
    assert.equal(status.statusCode, 200);
    assert.deepEqual(status.json(), { id: first.id, status: 'completed', progress: 100, plan: first.plan });
    const again = await farm.post('/v1/builds', seedMatrixMultiply);
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().plan.id, first.plan.id);
    assert.equal(await queue.getJob(first.id), undefined, 'nothing was built again');
  });

  it('runs a dynamic-batch plan at every batch of its profile, against a float64 reference', async () => {
    const network = {
      inputs: [{ name: 'x', shape: [-1, 20] }],
      layers: [{ name: 'y', type: 'fullyConnected', outputs: 3, weights: randomValues(3 * 20), bias: randomValues(3) }],
    };
    const build = await farm.build({ network, profile: { x: { min: [1, 20], opt: [4, 20], max: [8, 20] } } });
    assert.deepEqual(build.plan.inputs, [{ name: 'x', shape: [-1, 20], dtype: 'float32' }]);
    for (const batch of [1, 3, 4, 8]) {
      const x = randomValues(batch * 20);
      const answer = await farm.post('/v1/infer?wait=10000', { plan: build.plan.id, inputs: { x: { shape: [batch, 20], data: x } } });
      assert.equal(answer.statusCode, 200, answer.body);
      const y = answer.json().outputs.y;
      assert.deepEqual(y.shape, [batch, 3]);
      const expected = referenceOutputs(parseNetwork(network), { x: { shape: [batch, 20], data: x } }).y;
      assert.ok(scaledError(y.data, expected) < 1e-5, `batch ${batch}: error ${scaledError(y.data, expected)}`);
    }
  });

  it('builds an ONNX model (a dynamic-batch MLP with ReLU) and runs it against a float64 reference', async () => {
    const mlp = randomMlp(16, [32, 8], 'relu');
    const build = await farm.build({
      onnx: Buffer.from(mlpOnnx(mlp)).toString('base64'),
      profile: { x: { min: [1, 16], opt: [4, 16], max: [8, 16] } },
    });
    const x = randomValues(5 * 16);
    const answer = await farm.post('/v1/infer?wait=10000', { plan: build.plan.id, inputs: { x: { shape: [5, 16], data: x } } });
    assert.equal(answer.statusCode, 200, answer.body);
    const y = answer.json().outputs.y;
    assert.deepEqual(y.shape, [5, 8]);
    const expected = referenceOutputs(mlpNetwork(mlp), { x: { shape: [5, 16], data: x } }).y;
    assert.ok(scaledError(y.data, expected) < 1e-5, `error ${scaledError(y.data, expected)}`);
  });

  it('answers 202 with an id when not asked to wait, and the result later', async () => {
    const build = await farm.build(seedFullyConnected);
    const accepted = await farm.post('/v1/infer', { plan: build.plan.id, inputs: { x: seedInput } });
    assert.equal(accepted.statusCode, 202);
    assert.equal(accepted.json().status, 'queued');
    const status = await farm.waitForInference(accepted.json().id);
    assert.deepEqual(status.outputs.fc.data, [1770, -1770]);
  });

  it('serves the OpenAPI document of every contract route at /docs/json', async () => {
    const paths = Object.keys((await farm.get('/docs/json')).json().paths);
    for (const route of ['/v1/builds', '/v1/builds/{id}', '/v1/plans/{planId}', '/v1/plans/{planId}/meta', '/v1/infer', '/v1/infer/{id}',
      '/v2/models/{model}/infer', '/v2/models/{model}', '/v2/models/{model}/versions/{version}/infer', '/v2/models/{model}/stats', '/v1/workers', '/v2/health/ready', '/healthz', '/readyz']) {
      assert.ok(paths.includes(route), `${route} missing from the OpenAPI document`);
    }
  });
});

describe('a large network through REST', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  before(async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis);
    await farm.startWorker();
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
  });

  it('takes a 4096×4096 fp32 weight matrix as base64 (≈ 90 MB of JSON), builds it and runs it', async () => {
    const n = 4096;
    const weights = new Float32Array(n * n);
    for (let i = 0; i < weights.length; i++) weights[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    const body = {
      network: {
        inputs: [{ name: 'x', shape: [1, n] }],
        layers: [{ name: 'y', type: 'fullyConnected', outputs: n, weights: { base64: Buffer.from(weights.buffer).toString('base64') } }],
      },
    };
    const build = await farm.build(body, 120_000);
    assert.ok(build.plan.bytes > n * n * 4);
    const x = randomValues(n);
    const answer = await farm.post('/v1/infer?wait=30000', { plan: build.plan.id, inputs: { x: { shape: [1, n], data: x } } });
    assert.equal(answer.statusCode, 200, answer.body.slice(0, 300));
    const expected = referenceOutputs(parseNetwork(body.network), { x: { shape: [1, n], data: x } }).y;
    // fp32 sums of 4096 products.
    assert.ok(scaledError(answer.json().outputs.y.data, expected) < 1e-4);
  });
});
