// The API's job watcher (issue 9): a QueueEvents reader that starts at '$' misses what lands in
// the stream between its start and its first blocking read. The watcher of a queue the API has
// not watched before must see the completions that land right after it started.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

describe('job watcher', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started), { worker: false });

  it('sees a completion written the moment its first watch is registered, on 40 fresh queues', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async (_, n) => {
        const queue = `watch-test-${n}`;
        const jobId = `job-${n}`;
        const watch = await farm.app.farm.watchJob(queue, jobId, 5_000);
        // What a worker's moveToCompleted writes to the queue's event stream.
        await farm.app.farm.redis.xadd(`${farm.config.queuePrefix}:${queue}:events`, '*', 'event', 'completed', 'jobId', jobId, 'returnvalue', JSON.stringify({ n }), 'prev', 'active');
        return watch.outcome;
      }),
    );
    outcomes.forEach((outcome, n) => assert.deepEqual(outcome, { state: 'completed', returnvalue: { n } }, `queue ${n}`));
  });
});
