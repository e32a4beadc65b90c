// GET /v1/infer/<class>.<uuid> with a class no queue has: 404, and the API keeps no Queue for
// it (each made-up class used to add one to the farm's map for good).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';

import { seedFullyConnected, seedInput } from './seed.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

describe('inference ids of unknown classes', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  const keptQueues = () => farm.app.farm['queues'].size;

  it('answers 404 to made-up classes without keeping a Queue or writing Redis keys for them', async () => {
    const plan = (await farm.build(seedFullyConnected)).plan.id;
    const queuesBefore = keptQueues();
    const keysBefore = await farm.app.farm.redis.dbsize();
    for (const cls of ['anyword', 'cpu-2', 'made.up.class', 'x']) {
      const answer = await farm.get(`/v1/infer/${cls}.${randomUUID()}`);
      assert.equal(answer.statusCode, 404, answer.body);
      assert.match(answer.json().message, /^no inference /);
    }
    assert.equal(keptQueues(), queuesBefore, 'a made-up class added a Queue to the farm');
    assert.equal(await farm.app.farm.redis.dbsize(), keysBefore);

    // A real inference is still found, and a made-up uuid in its class is a 404.
    const done = (await farm.post('/v1/infer?wait=10000', { plan, inputs: { x: seedInput } })).json();
    assert.equal((await farm.get(`/v1/infer/${done.id}`)).json().status, 'completed');
    const cls = done.id.slice(0, done.id.lastIndexOf('.'));
    assert.equal((await farm.get(`/v1/infer/${cls}.${randomUUID()}`)).statusCode, 404);
  });
});
