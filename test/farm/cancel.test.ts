// DELETE /v1/builds/:id and /v1/sweeps/:id: a queued build is removed, a running one stopped,
// and the worker takes its next job at once. Builds are made slow (TRTFARM_TEST_BUILD_DELAY_MS)
// so that one is still running when it is cancelled.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { networkJson, precisionTrap } from '../helpers/precision-trap.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

const DELAY_MS = 4000;

describe('cancelling builds and sweeps', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started), { env: { TRTFARM_TEST_BUILD_DELAY_MS: String(DELAY_MS) } });

  const request = (maxBatch: number) => ({
    network: networkJson(precisionTrap()),
    profile: { x: { min: [1, 60], opt: [1, 60], max: [maxBatch, 60] } },
    backend: 'cpu',
    report: false,
  });

  async function until(id: string, wanted: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await farm.get(`/v1/builds/${id}`)).json();
      if (status.status === wanted) return status;
      if (Date.now() > deadline) throw new Error(`build ${id} still ${status.status}, not ${wanted}`);
      await sleep(20);
    }
  }

  it('stops a running build, fails it as cancelled, and the worker takes the next job within a second', async () => {
    const running = (await farm.post('/v1/builds', request(2))).json().id;
    const next = (await farm.post('/v1/builds', request(3))).json().id;
    await until(running, 'active');
    const cancelled = await farm.app.inject({ method: 'DELETE', url: `/v1/builds/${running}` });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.deepEqual(cancelled.json(), { id: running, status: 'failed' });
    const answeredAt = Date.now();
    assert.deepEqual((await farm.get(`/v1/builds/${running}`)).json().error, { message: 'cancelled' });
    await until(next, 'active', 1000);
    assert.ok(Date.now() - answeredAt < 1000);
    // Submitted again, it builds.
    const again = await farm.post('/v1/builds', request(2));
    assert.equal(again.statusCode, 202, again.body);
    await farm.waitForBuild(running, 20_000);
    await farm.waitForBuild(next, 20_000);
  });

  it('removes a queued build, which never runs, and builds it when submitted again', async () => {
    const first = (await farm.post('/v1/builds', request(5))).json().id;
    const queued = (await farm.post('/v1/builds', request(6))).json().id;
    await until(first, 'active');
    assert.equal((await farm.get(`/v1/builds/${queued}`)).json().status, 'queued');
    const cancelled = await farm.app.inject({ method: 'DELETE', url: `/v1/builds/${queued}` });
    assert.deepEqual(cancelled.json(), { id: queued, status: 'failed' });
    const queue = await farm.cpuQueue('build');
    assert.equal(await queue.getJob(queued), undefined, 'its job is removed');
    await farm.waitForBuild(first, 20_000);
    assert.deepEqual((await farm.get(`/v1/builds/${queued}`)).json(), { id: queued, status: 'failed', progress: 0, error: { message: 'cancelled' } });
    const again = await farm.post('/v1/builds', request(6));
    assert.equal(again.statusCode, 202, again.body);
    await farm.waitForBuild(queued, 20_000);
    // A finished build is left as it is.
    const done = await farm.app.inject({ method: 'DELETE', url: `/v1/builds/${queued}` });
    assert.deepEqual(done.json(), { id: queued, status: 'completed' });
    assert.equal((await farm.app.inject({ method: 'DELETE', url: `/v1/builds/${'1'.repeat(64)}` })).statusCode, 404);
  });

  it("cancels a sweep's unfinished variants (running and queued); the sweep completes with them failed as cancelled", async () => {
    const posted = await farm.post('/v1/sweeps', {
      network: networkJson(precisionTrap()),
      precisions: ['fp32', 'tf32', 'bf16'],
      profiles: [{ x: { min: [1, 60], opt: [1, 60], max: [7, 60] } }],
      backends: ['cpu'],
    });
    assert.equal(posted.statusCode, 202, posted.body);
    const { id, builds } = posted.json();
    await until(builds[0].id, 'active');
    const cancelled = await farm.app.inject({ method: 'DELETE', url: `/v1/sweeps/${id}` });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.deepEqual(cancelled.json(), { id, status: 'completed' });
    const status = (await farm.get(`/v1/sweeps/${id}`)).json();
    assert.deepEqual(status.builds.map((b: { status: string; error?: { message: string } }) => [b.status, b.error?.message]), [
      ['failed', 'cancelled'],
      ['failed', 'cancelled'],
      ['failed', 'cancelled'],
    ]);
  });
});
