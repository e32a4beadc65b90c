// Backpressure: beyond TRTFARM_MAX_PENDING_SYNC synchronous requests waiting, or beyond
// TRTFARM_MAX_EVENT_LOOP_DELAY_MS of event-loop delay, the API answers 503 with Retry-After at
// once; asynchronous submissions and the probes are still served; nothing accepted is lost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { seedFullyConnected, seedInput, seedMatrixMultiply } from '../farm/seed.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { TestFarm } from '../farm/test-farm.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { runCli } from './cli-runner.js';

describe('backpressure', () => {
  let redis: TestRedis;
  before(async () => (redis = await startTestRedis()));
  after(async () => redis.stop());

  it('refuses a synchronous request beyond TRTFARM_MAX_PENDING_SYNC waiting ones with 503 and Retry-After, and serves it once they finished', async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_MAX_PENDING_SYNC: '2' });
    try {
      await farm.startWorker();
      // Two plans: requests for one plan may be batched into one job, and this counts jobs.
      const plan = (await farm.build(seedFullyConnected)).plan.id;
      const other = (await farm.build(seedMatrixMultiply)).plan.id;
      const inferQueue = await farm.cpuQueue('infer');
      await inferQueue.pause(); // the two requests below wait until it resumes
      const body = { plan, inputs: { x: seedInput } };
      const v2Body = { inputs: [{ name: 'x', shape: seedInput.shape, datatype: 'FP32', data: seedInput.data }] };
      const waiting = [farm.post('/v1/infer?wait=20000', body), farm.post(`/v2/models/${other}/infer`, v2Body)];
      const deadline = Date.now() + 10_000;
      while ((await inferQueue.getJobCounts('waiting')).waiting < 2) {
        assert.ok(Date.now() < deadline, 'the two requests were not queued');
        await sleep(20);
      }
      for (const refused of [await farm.post(`/v2/models/${plan}/infer`, v2Body), await farm.post('/v1/infer?wait=100', body)]) {
        assert.equal(refused.statusCode, 503, refused.body);
        assert.equal(refused.headers['retry-after'], '1');
        assert.match(refused.body, /TRTFARM_MAX_PENDING_SYNC/);
      }
      // Not synchronous: accepted and queued as usual.
      const queued = await farm.post('/v1/infer', body);
      assert.equal(queued.statusCode, 202, queued.body);

      await inferQueue.resume();
      const [v1, v2] = await Promise.all(waiting);
      assert.deepEqual(v1.json().outputs.fc.data, [1770, -1770]);
      assert.deepEqual(v2.json().outputs[0].data, [1770, -1770]);
      assert.notEqual(plan, other);
      const again = await farm.post(`/v2/models/${plan}/infer`, v2Body);
      assert.equal(again.statusCode, 200, again.body);
    } finally {
      await farm.stop();
    }
  });

  it('answers 503 with Retry-After while the event loop lags beyond TRTFARM_MAX_EVENT_LOOP_DELAY_MS, the probes and /metrics still 200', async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_MAX_EVENT_LOOP_DELAY_MS: '50' });
    try {
      assert.equal((await farm.get('/v1/workers')).statusCode, 200);
      // Blocks this process's event loop, which is the API's (inject runs in-process).
      const until = Date.now() + 900;
      while (Date.now() < until);
      // under-pressure sees the lag at its next sample (once a second): refused from then on.
      let refused = await farm.get('/v1/workers');
      for (const giveUp = Date.now() + 3_000; refused.statusCode === 200 && Date.now() < giveUp; ) {
        await sleep(50);
        refused = await farm.get('/v1/workers');
      }
      assert.equal(refused.statusCode, 503, refused.body);
      assert.equal(refused.headers['retry-after'], '1');
      assert.match(refused.json().message, /TRTFARM_MAX_EVENT_LOOP_DELAY_MS/);
      // (No worker in this farm: /readyz is 503 for that reason, so the API's own readiness stands for the probes.)
      for (const url of ['/healthz', '/readyz/api', '/metrics']) assert.equal((await farm.get(url)).statusCode, 200, url);
      // Once the loop is free again (the next samples), requests are served.
      const deadline = Date.now() + 5_000;
      while ((await farm.get('/v1/workers')).statusCode !== 200) {
        assert.ok(Date.now() < deadline, 'still refused 5 s after the lag');
        await sleep(100);
      }
    } finally {
      await farm.stop();
    }
  });

  it('the CLI waits out a 503 with Retry-After and then gets its answer', { timeout: 60_000 }, async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_MAX_PENDING_SYNC: '1' });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-bp-'));
    try {
      await farm.startWorker();
      await farm.app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(farm.app.server.address() as { port: number }).port}`;
      const plan = (await farm.build(seedFullyConnected)).plan.id;
      const inferQueue = await farm.cpuQueue('infer');
      await inferQueue.pause();
      const holding = farm.post('/v1/infer?wait=20000', { plan, inputs: { x: seedInput } });
      while ((await inferQueue.getJobCounts('waiting')).waiting < 1) await sleep(20);
      await writeFile(path.join(dir, 'x.json'), JSON.stringify(seedInput));
      const cli = runCli(['infer', plan, '--input', `x=${path.join(dir, 'x.json')}`], { TRTFARM_URL: url });
      await sleep(2_500); // refused at least once meanwhile: the one synchronous slot is taken
      await inferQueue.resume();
      const answer = await cli;
      assert.equal(answer.code, 0, answer.stderr);
      assert.deepEqual(JSON.parse(answer.stdout).fc.data, [1770, -1770]);
      assert.equal((await holding).json().status, 'completed');
    } finally {
      await farm.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
