// A failed build submitted again runs again, with its attempts counted afresh (so the machine's
// failures get their retries again), and answers with the same id and message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { TestFarm } from './test-farm.js';

// 1e6 is past fp16's range: the shape checks pass, the build fails in the worker.
const overflowing = {
  network: {
    inputs: [{ name: 'x', shape: [1, 4] }],
    layers: [{ name: 'fc', type: 'fullyConnected', outputs: 1, weights: [1e6, 1, 1, 1] }],
  },
  precision: 'fp16',
};

describe('resubmitting a failed build', () => {
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

  async function settled(id: string) {
    for (let i = 0; i < 400; i++) {
      const status = (await farm.get(`/v1/builds/${id}`)).json();
      if (status.status === 'failed' || status.status === 'completed') return status;
      await sleep(25);
    }
    throw new Error(`build ${id} did not settle`);
  }

  it('runs it again with fresh attempts, twice in a row', async () => {
    const first = await farm.post('/v1/builds', overflowing);
    assert.equal(first.statusCode, 202, first.body);
    const { id } = first.json();
    const failed = await settled(id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error.message, /fp16/);

    const queue = await farm.cpuQueue('build');
    for (let round = 0; round < 2; round++) {
      const again = await farm.post('/v1/builds', overflowing);
      assert.equal(again.statusCode, 202, again.body);
      assert.deepEqual(again.json(), { id, status: 'queued' });
      assert.equal((await settled(id)).status, 'failed');
      const job = await queue.getJob(id);
      assert.equal(job?.attemptsMade, 1, 'attempts are counted afresh on each resubmission');
    }
  });
});
