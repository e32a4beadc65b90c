// The inference request's limits: `?wait=` above TRTFARM_MAX_WAIT_MS is clamped to it (not an
// error), and more than 64 inputs is 413 on v1 as on v2 (the README's limits table).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { MAX_IO_TENSORS } from '../../shared/network/limits.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { seedFullyConnected, seedInput } from './seed.js';
import { TestFarm } from './test-farm.js';

const tooManyInputs = Object.fromEntries(Array.from({ length: MAX_IO_TENSORS + 1 }, (_, i) => [`x${i}`, { shape: [1], data: [i] }]));

describe('inference request limits', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let plan: string;

  before(async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis, { TRTFARM_MAX_WAIT_MS: '5000' });
    await farm.startWorker();
    plan = (await farm.build(seedFullyConnected)).plan.id;
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
  });

  for (const wait of ['1e16', '9007199254740993', '5001']) {
    it(`clamps ?wait=${wait} to TRTFARM_MAX_WAIT_MS and answers with the result`, async () => {
      const answer = await farm.post(`/v1/infer?wait=${wait}`, { plan, inputs: { x: seedInput } });
      assert.equal(answer.statusCode, 200, answer.body);
      assert.deepEqual(answer.json().outputs.fc.data, [1770, -1770]);
    });
  }

  for (const wait of ['1.5', 'soon', '1e400']) {
    it(`answers 400 to ?wait=${wait}, which is not a whole number of milliseconds`, async () => {
      const before = await farm.jobCount();
      const answer = await farm.post(`/v1/infer?wait=${wait}`, { plan, inputs: { x: seedInput } });
      assert.equal(answer.statusCode, 400, answer.body);
      assert.match(answer.json().message, /^querystring\.wait: /);
      assert.equal(await farm.jobCount(), before);
    });
  }

  it(`answers 413 to ${MAX_IO_TENSORS + 1} inputs on /v1/infer`, async () => {
    const answer = await farm.post('/v1/infer', { plan, inputs: tooManyInputs });
    assert.equal(answer.statusCode, 413, answer.body);
    assert.equal(answer.json().message, `inputs: ${MAX_IO_TENSORS + 1} inputs, at most ${MAX_IO_TENSORS}`);
  });

  it(`answers 413 to ${MAX_IO_TENSORS + 1} inputs on KServe v2`, async () => {
    const inputs = Object.entries(tooManyInputs).map(([name, t]) => ({ name, shape: t.shape, datatype: 'FP32', data: t.data }));
    const answer = await farm.post(`/v2/models/${plan}/infer`, { inputs });
    assert.equal(answer.statusCode, 413, answer.body);
    assert.match(answer.json().error, new RegExp(`^inputs: Too big: expected array to have <=${MAX_IO_TENSORS} items$`));
  });
});
