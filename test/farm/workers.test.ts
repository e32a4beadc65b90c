// Workers as real processes: registration and liveness, recovery of a build whose worker was
// SIGKILLed, two workers sharing a queue, and a graceful shutdown that loses nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { queueName } from '../../shared/queue/names.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { seedFullyConnected, seedInput } from './seed.js';
import { TestFarm } from './test-farm.js';

// A distinct small build request per n (distinct content → distinct id and plan).
const smallBuild = (n: number) => ({
  network: { inputs: [{ name: 'x', shape: [1, 4] }], layers: [{ name: 'y', type: 'fullyConnected', outputs: 1, weights: [n, 1, 2, 3] }] },
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('workers', () => {
  let redis: TestRedis;
  before(async () => (redis = await startTestRedis()));
  after(async () => redis.stop());

  it('is not ready as a farm (the API is) and refuses builds with 503 while no worker is alive; a started worker is listed', async () => {
    const farm = await TestFarm.start(redis);
    try {
      const notReady = await farm.get('/v2/health/ready');
      assert.equal(notReady.statusCode, 503);
      assert.match(notReady.json().error, /no worker is alive/);
      assert.equal((await farm.get('/readyz')).statusCode, 503);
      assert.deepEqual((await farm.get('/readyz/api')).json(), { status: 'ready', workers: 0 });
      const refused = await farm.post('/v1/builds', smallBuild(1));
      assert.equal(refused.statusCode, 503);
      assert.match(refused.json().message, /no worker is alive/);

      const child = await farm.spawnWorker();
      await farm.waitForWorkers(1);
      const [listed] = (await farm.get('/v1/workers')).json();
      assert.equal(listed.backend, 'cpu');
      assert.equal(listed.pid, child.process.pid);
      assert.ok(listed.device.name.length > 0);
      assert.deepEqual(listed.queues.map((q: string) => q.split('.')[0]), ['build', 'infer']);
      assert.equal((await farm.get('/readyz')).statusCode, 200);
      assert.equal((await farm.get('/v2/health/ready')).statusCode, 200);

      // A killed worker's heartbeat expires and it drops out of the list.
      child.process.kill('SIGKILL');
      await farm.waitForWorkers(0, 5_000);
    } finally {
      await farm.stop();
    }
  });

  it('recovers a build whose worker was SIGKILLed mid-build: it completes exactly once, with one plan', async () => {
    // Short locks so that the stalled job is noticed within seconds; a test-only delay makes
    // every build take 2 s, so the kill lands inside one.
    const farm = await TestFarm.start(redis, {
      TRTFARM_LOCK_MS: '1000',
      TRTFARM_STALLED_CHECK_MS: '500',
      TRTFARM_TEST_BUILD_DELAY_MS: '2000',
    });
    try {
      const doomed = await farm.spawnWorker();
      await farm.waitForWorkers(1);
      const queue = await farm.cpuQueue('build');
      const events = await farm.queueEvents(queue);
      let completions = 0;
      events.on('completed', () => completions++);

      const { id } = (await farm.post('/v1/builds', smallBuild(7))).json();
      await waitFor('the build to be active', async () => ((await farm.get(`/v1/builds/${id}`)).json().status === 'active' ? true : undefined));
      doomed.process.kill('SIGKILL');
      await doomed.exited;

      await farm.spawnWorker();
      const done = await farm.waitForBuild(id, 30_000);
      await sleep(1500); // room for a second, wrong completion to show up
      const job = await queue.getJob(id);
      assert.ok(job);
      assert.equal(job.stalledCounter, 1, 'the job was recovered by stalled-job handling');
      assert.equal(completions, 1);
      assert.equal(await farm.store().count(), 1);
      assert.equal(done.plan.id, job.returnvalue.planId);
      await events.close();
    } finally {
      await farm.stop();
    }
  });

  it('shares a queue between two worker processes: both take builds, every job completes once', async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_TEST_BUILD_DELAY_MS: '300' });
    try {
      await Promise.all([farm.spawnWorker(), farm.spawnWorker()]);
      await farm.waitForWorkers(2);
      const ids: string[] = [];
      for (let n = 1; n <= 6; n++) ids.push((await farm.post('/v1/builds', smallBuild(n))).json().id);
      const builds = await Promise.all(ids.map((id) => farm.waitForBuild(id, 30_000)));
      const queue = await farm.cpuQueue('build');
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      const takers = new Set(jobs.map((job) => job?.processedBy));
      assert.equal(takers.size, 2, `builds were taken by ${[...takers]}`);
      assert.ok(jobs.every((job) => job?.attemptsMade === 1));
      assert.equal(await farm.store().count(), 6);

      // Inferences through both workers, each answered correctly.
      const plan = builds[0].plan.id;
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => farm.post('/v1/infer?wait=20000', { plan, inputs: { x: { shape: [1, 4], data: [1, 1, 1, 1] } } })),
      );
      for (const answer of answers) assert.deepEqual(answer.json().outputs.y.data, [1 + 1 + 2 + 3]);
    } finally {
      await farm.stop();
    }
  });

  it('shuts down gracefully on SIGTERM: the active build finishes, queued ones wait for the next worker', async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_TEST_BUILD_DELAY_MS: '1500' });
    try {
      const first = await farm.spawnWorker();
      await farm.waitForWorkers(1);
      const queue = await farm.cpuQueue('build');
      const ids: string[] = [];
      for (let n = 11; n <= 13; n++) ids.push((await farm.post('/v1/builds', smallBuild(n))).json().id);
      await waitFor('a build to be active', async () => {
        const states = await Promise.all(ids.map(async (id) => (await farm.get(`/v1/builds/${id}`)).json().status));
        return states.includes('active') ? true : undefined;
      });
      first.process.kill('SIGTERM');
      const exit = await first.exited;
      assert.equal(exit.code, 0, first.log);

      const counts = await queue.getJobCounts('completed', 'waiting', 'active', 'failed');
      assert.deepEqual(counts, { completed: 1, waiting: 2, active: 0, failed: 0 }, `the active build finished before exit; worker log:\n${first.log}`);

      await farm.spawnWorker();
      await Promise.all(ids.map((id) => farm.waitForBuild(id, 30_000)));
      const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
      assert.ok(jobs.every((job) => job?.attemptsMade === 1 && job.stalledCounter === 0), 'no job was retried or stalled');
      assert.equal(await farm.store().count(), 3);
    } finally {
      await farm.stop();
    }
  });

  it('serves a worker that shares no data dir with the API when plans are stored in Redis', async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_PLAN_STORE: 'redis' });
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-elsewhere-'));
    try {
      await farm.spawnWorker({ TRTFARM_DATA_DIR: elsewhere });
      await farm.waitForWorkers(1);
      const build = await farm.build(seedFullyConnected);
      const answer = await farm.post('/v1/infer?wait=10000', { plan: build.plan.id, inputs: { x: seedInput } });
      assert.deepEqual(answer.json().outputs.fc.data, [1770, -1770]);
      assert.equal(await farm.store().count(), 1);
      assert.equal((await farm.get(`/v1/plans/${build.plan.id}`)).rawPayload.length, build.plan.bytes);
      assert.deepEqual(await readdir(elsewhere), [], 'the worker wrote nothing to its own disk');
    } finally {
      await farm.stop();
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('answers an inference on a plan whose workers are gone with 503, and enqueues nothing', async () => {
    const farm = await TestFarm.start(redis);
    try {
      const child = await farm.spawnWorker();
      await farm.waitForWorkers(1);
      const build = await farm.build({ network: { inputs: [{ name: 'x', shape: [1, 3, 4, 5] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 1, weights: Array(60).fill(1) }] } });
      child.process.kill('SIGTERM');
      await child.exited;
      await farm.waitForWorkers(0);
      await sleep(600); // the API's worker list is cached for 500 ms
      const queue = farm.app.farm.queue(queueName('infer', (await farm.get(`/v1/plans/${build.plan.id}/meta`)).json().compatKey));
      const before = await queue.count();
      const answer = await farm.post('/v1/infer?wait=1000', { plan: build.plan.id, inputs: { x: seedInput } });
      assert.equal(answer.statusCode, 503);
      assert.match(answer.json().message, /no live worker can run this plan/);
      assert.equal(await queue.count(), before);
    } finally {
      await farm.stop();
    }
  });
});
