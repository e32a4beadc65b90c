// Every kind of bad input from the contract: a 4xx with a message that names the problem,
// and nothing enqueued (job counts in every queue unchanged).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { seedFullyConnected, seedInput } from './seed.js';
import { TestFarm } from './test-farm.js';

const fc = (layer: Record<string, unknown>, input: Record<string, unknown> = { name: 'x', shape: [1, 3, 4, 5] }) => ({
  network: { inputs: [input], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: Array(120).fill(1), ...layer }] },
});
const nanBase64 = Buffer.from(new Float32Array([1, NaN]).buffer).toString('base64');
const unknownPlan = 'ab'.repeat(32);

describe('bad input', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let seedPlan: string;
  let dynamicPlan: string;

  before(async () => {
    redis = await startTestRedis();
    // A small body limit, so that the 413 case is cheap to send.
    farm = await TestFarm.start(redis, { TRTFARM_BODY_LIMIT_BYTES: String(2 * 1024 * 1024) });
    await farm.startWorker();
    seedPlan = (await farm.build(seedFullyConnected)).plan.id;
    dynamicPlan = (
      await farm.build({
        network: { inputs: [{ name: 'x', shape: [-1, 4] }], layers: [{ name: 'y', type: 'fullyConnected', outputs: 1, weights: [1, 2, 3, 4] }] },
        profile: { x: { min: [1, 4], opt: [2, 4], max: [4, 4] } },
      })
    ).plan.id;
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
  });

  type Case = [name: string, method: 'GET' | 'POST', url: () => string, body: unknown, status: number, message: RegExp];
  const cases: Case[] = [
    ['malformed JSON', 'POST', () => '/v1/builds', '{"network": ', 400, /JSON/],
    ['neither network nor onnx', 'POST', () => '/v1/builds', { precision: 'fp32' }, 400, /exactly one of "network" or "onnx"/],
    ['both network and onnx', 'POST', () => '/v1/builds', { ...seedFullyConnected, onnx: 'AAAA' }, 400, /exactly one/],
    ['an unknown field', 'POST', () => '/v1/builds', { ...seedFullyConnected, colour: 'red' }, 400, /colour/],
    ['an unknown layer type', 'POST', () => '/v1/builds', fc({ type: 'convolution' }), 400, /^network\.layers\[0\] \("fc"\)\.type: Invalid discriminator value\. Expected 'fullyConnected' \| /],
    ['a dynamic non-batch dimension', 'POST', () => '/v1/builds', fc({}, { name: 'x', shape: [1, -1, 4, 5] }), 400, /only the batch dimension/],
    ['a zero dimension', 'POST', () => '/v1/builds', fc({}, { name: 'x', shape: [1, 0, 4, 5] }), 400, /^network\.inputs\[0\] \("x"\)\.shape\[1\]: dimensions are positive integers, or -1 for a dynamic batch$/],
    ['a weight count that does not match', 'POST', () => '/v1/builds', fc({ weights: Array(119).fill(1) }), 400, /^layer 0 'fc' \(fullyConnected\): weights has 119 values, expected 120 \(2 outputs × K 60\)$/],
    ['a non-finite weight', 'POST', () => '/v1/builds', fc({ weights: { base64: nanBase64 } }), 400, /finite/],
    ['weights that are not base64', 'POST', () => '/v1/builds', fc({ weights: { base64: 'not base64!' } }), 400, /base64/],
    ['an input naming no tensor', 'POST', () => '/v1/builds', fc({ input: 'nowhere' }), 400, /nowhere/],
    ['a dynamic input without a profile', 'POST', () => '/v1/builds', fc({}, { name: 'x', shape: [-1, 3, 4, 5] }), 400, /profile/],
    ['a profile with min > max', 'POST', () => '/v1/builds',
      { ...fc({}, { name: 'x', shape: [-1, 3, 4, 5] }), profile: { x: { min: [8, 3, 4, 5], opt: [8, 3, 4, 5], max: [2, 3, 4, 5] } } }, 400, /min ≤ opt ≤ max/],
    ['an unknown precision', 'POST', () => '/v1/builds', { ...seedFullyConnected, precision: 'int4' }, 400, /precision/],
    ['an unknown backend', 'POST', () => '/v1/builds', { ...seedFullyConnected, backend: 'tpu' }, 400, /backend/],
    ['a backend no live worker serves', 'POST', () => '/v1/builds', { ...seedFullyConnected, backend: 'cuda' }, 422, /no live worker serves backend 'cuda'/],
    ['an ONNX model that is not one', 'POST', () => '/v1/builds', { onnx: Buffer.from('not a model').toString('base64') }, 400, /ONNX/],
    ['too many layers', 'POST', () => '/v1/builds',
      { network: { inputs: [{ name: 'x', shape: [1, 1] }], layers: Array.from({ length: 257 }, (_, i) => ({ name: `a${i}`, type: 'activation', kind: 'relu' })) } }, 413, /257|256/],
    ['a body over the size limit', 'POST', () => '/v1/builds', fc({ weights: Array(400_000).fill(0.123456789) }), 413, /over the limit of 2097152 bytes/],
    ['a garbage build id', 'GET', () => '/v1/builds/not-a-hash', undefined, 400, /build id is 64 lowercase hexadecimal digits/],
    ['an unknown build id', 'GET', () => `/v1/builds/${'cd'.repeat(32)}`, undefined, 404, /no build/],
    ['a garbage plan id', 'GET', () => '/v1/plans/hello', undefined, 400, /plan id/],
    ['an unknown plan', 'GET', () => `/v1/plans/${unknownPlan}`, undefined, 404, /no plan/],
    ['an unknown plan meta', 'GET', () => `/v1/plans/${unknownPlan}/meta`, undefined, 404, /no plan/],
    ['inference on an unknown plan', 'POST', () => '/v1/infer', { plan: unknownPlan, inputs: { x: seedInput } }, 404, /no plan/],
    ['an unknown inference id', 'GET', () => '/v1/infer/cpu.00000000-0000-0000-0000-000000000000', undefined, 404, /no inference/],
    ['a wrong input name', 'POST', () => '/v1/infer', () => ({ plan: seedPlan, inputs: { y: seedInput } }), 400, /missing "x"; unknown "y"/],
    ['a missing input', 'POST', () => '/v1/infer', () => ({ plan: seedPlan, inputs: {} }), 400, /missing "x"/],
    ['a data count that does not match the shape', 'POST', () => '/v1/infer', () => ({ plan: seedPlan, inputs: { x: { shape: [1, 3, 4, 5], data: [1, 2, 3] } } }), 400, /needs 60 values, data has 3/],
    ['a wrong rank', 'POST', () => '/v1/infer', () => ({ plan: seedPlan, inputs: { x: { shape: [60], data: seedInput.data } } }), 400, /1 dimensions/],
    ['a wrong fixed dimension', 'POST', () => '/v1/infer', () => ({ plan: seedPlan, inputs: { x: { shape: [1, 3, 5, 4], data: seedInput.data } } }), 400, /dimension 2 is 5/],
    ['a batch above the profile', 'POST', () => '/v1/infer', () => ({ plan: dynamicPlan, inputs: { x: { shape: [5, 4], data: Array(20).fill(1) } } }), 400, /outside the plan's profile \(1\.\.4\)/],
    ['a non-number in the data', 'POST', () => '/v1/infer', () => ({ plan: seedPlan, inputs: { x: { shape: [1, 1, 1, 2], data: [1, 'two'] } } }), 400, /inputs\.x\.data/],
    ['a negative wait', 'POST', () => '/v1/infer?wait=-5', () => ({ plan: seedPlan, inputs: { x: seedInput } }), 400, /wait/],
    ['a KServe datatype other than FP32, FP16, BF16', 'POST', () => `/v2/models/${seedPlan}/infer`,
      () => ({ inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'INT64', data: seedInput.data }] }), 400, /"INT64" is not supported \(FP32, FP16, BF16\)/],
    ['a KServe request for an output the plan lacks', 'POST', () => `/v2/models/${seedPlan}/infer`,
      () => ({ inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: seedInput.data }], outputs: [{ name: 'nope' }] }), 400, /no output "nope"/],
    ['a KServe request with wrong counts', 'POST', () => `/v2/models/${seedPlan}/infer`,
      () => ({ inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: [1] }] }), 400, /needs 60 values/],
    ['KServe metadata of an unknown model', 'GET', () => `/v2/models/${unknownPlan}`, undefined, 404, /no model/],
    ['an unknown route', 'GET', () => '/v1/nothing', undefined, 404, /no route/],
  ];

  for (const [name, method, url, body, status, message] of cases) {
    it(`answers ${status} to ${name}, and enqueues nothing`, async () => {
      const before = await farm.jobCount();
      const payload = typeof body === 'function' ? body() : body;
      const answer = await farm.app.inject({
        method,
        url: url(),
        ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      });
      assert.equal(answer.statusCode, status, answer.body);
      const json = answer.json();
      // KServe v2's error body is { error }; v1's { statusCode, error, message }.
      if (url().startsWith('/v2')) {
        assert.deepEqual(Object.keys(json), ['error']);
        assert.match(json.error, message);
      } else {
        assert.equal(json.statusCode, status);
        assert.match(json.message, message);
      }
      assert.equal(await farm.jobCount(), before, 'a refused request changed the queues');
    });
  }
});
