// KServe v2's status routes: server metadata, liveness, and a model's readiness, which follows
// whether a live worker can run the plan.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { seedFullyConnected } from './seed.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

describe('KServe v2 status routes', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started), { worker: false });

  it('GET /v2 answers the server metadata', async () => {
    const answer = await farm.get('/v2');
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json(), { name: 'trtfarm', version: '0.1.0', extensions: ['binary_tensor_data', 'statistics'] });
  });

  it('GET /v2/health/live and /healthz answer 200 with no worker alive', async () => {
    assert.equal((await farm.app.farm.directory.live()).length, 0);
    for (const url of ['/v2/health/live', '/healthz']) {
      const answer = await farm.get(url);
      assert.equal(answer.statusCode, 200, `${url}: ${answer.body}`);
      assert.deepEqual(answer.json(), { status: 'ok' });
    }
  });

  it('GET /v2/health/ready answers 503 as { error } with no worker alive', async () => {
    const answer = await farm.get('/v2/health/ready');
    assert.equal(answer.statusCode, 503, answer.body);
    assert.deepEqual(answer.json(), { error: 'no worker is alive' });
  });

  it('GET /v2/models/:id/ready is 200 while a worker can run the plan, 503 once none can, 404 for an unknown plan', async () => {
    const worker = await farm.startWorker();
    const plan = (await farm.build(seedFullyConnected)).plan.id;
    const ready = await farm.get(`/v2/models/${plan}/ready`);
    assert.equal(ready.statusCode, 200, ready.body);
    assert.deepEqual(ready.json(), { ready: true });

    await worker.stop();
    await farm.waitForWorkers(0);
    // The API keeps the worker list for half a second.
    const deadline = Date.now() + 5_000;
    let notReady = await farm.get(`/v2/models/${plan}/ready`);
    while (notReady.statusCode === 200 && Date.now() < deadline) {
      await sleep(100);
      notReady = await farm.get(`/v2/models/${plan}/ready`);
    }
    assert.equal(notReady.statusCode, 503, notReady.body);
    assert.deepEqual(notReady.json(), { error: `no live worker can run plan ${plan}` });

    const unknown = await farm.get(`/v2/models/${'ab'.repeat(32)}/ready`);
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.match(unknown.json().error, /^no model \(plan\) /);
  });
});
