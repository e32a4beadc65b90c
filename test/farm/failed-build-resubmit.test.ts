// A failed build submitted again runs again, with its attempts counted afresh (so the machine's
// failures get their retries again), and answers with the same id and message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

// Passes every check before queueing, then fails in the worker: folding a × b overflows float32.
const overflowing = {
  network: {
    inputs: [{ name: 'x', shape: [1, 1] }],
    layers: [
      { name: 'a', type: 'constant', shape: [1, 1], values: [1e30] },
      { name: 'b', type: 'constant', shape: [1, 1], values: [1e30] },
      { name: 'ab', type: 'elementWise', inputs: ['a', 'b'], op: 'prod' },
      { name: 'y', type: 'elementWise', inputs: ['x', 'ab'], op: 'sum' },
    ],
  },
};

describe('resubmitting a failed build', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

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
    assert.match(failed.error.message, /layer 'ab' computes a non-finite value from constants/);

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
