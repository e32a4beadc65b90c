// Inference jobs under stress: a worker SIGKILLed in the middle of a batch loses and duplicates
// no answer (BullMQ's stalled-job recovery gives the job to another worker, which finds the
// inputs still beside it); and many pollers reading many inferences while they finish always
// get a consistent answer (the state is read before the job: issue 9, a job read while active
// and found completed afterwards was answered 500).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { engine } from '../../shared/engine/addon.js';
import { farmKeys } from '../../shared/queue/names.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { randomValues } from './seed.js';
import { TestFarm } from './test-farm.js';

const mlp = {
  network: {
    inputs: [{ name: 'x', shape: [-1, 8] }],
    layers: [{ name: 'y', type: 'fullyConnected', outputs: 4, weights: randomValues(32), bias: randomValues(4) }],
  },
  profile: { x: { min: [1, 8], opt: [4, 8], max: [32, 8] } },
};

describe('inference recovery and polling', () => {
  let redis: TestRedis;
  before(async () => (redis = await startTestRedis()));
  after(async () => redis.stop());

  it('answers every request of a batch whose worker was SIGKILLed mid-batch exactly once, correctly', async () => {
    const farm = await TestFarm.start(redis, {
      TRTFARM_LOCK_MS: '1000',
      TRTFARM_STALLED_CHECK_MS: '500',
      TRTFARM_TEST_INFER_DELAY_MS: '1500',
      TRTFARM_BATCH_DELAY_US: '50000',
    });
    try {
      const doomed = await farm.spawnWorker();
      await farm.waitForWorkers(1);
      const build = await farm.build(mlp);
      const alone = await engine.loadEngine((await farm.store().get(build.plan.id))!);
      const queue = await farm.cpuQueue('infer');
      const events = await farm.queueEvents(queue);
      const completions = new Map<string, number>();
      events.on('completed', ({ jobId }) => completions.set(jobId, (completions.get(jobId) ?? 0) + 1));

      const inputs = Array.from({ length: 12 }, () => randomValues(8));
      const pending = inputs.map((data) => farm.post('/v1/infer?wait=30000', { plan: build.plan.id, inputs: { x: { shape: [1, 8], data } } }));
      const deadline = Date.now() + 10_000;
      while ((await queue.getActiveCount()) === 0) {
        if (Date.now() > deadline) throw new Error('no inference became active');
        await sleep(20);
      }
      doomed.process.kill('SIGKILL');
      await doomed.exited;
      await farm.spawnWorker();

      const answers = await Promise.all(pending);
      for (const [i, answer] of answers.entries()) {
        assert.equal(answer.json().status, 'completed', answer.body);
        const expected = await alone.infer({ x: { shape: [1, 8], data: Float32Array.from(inputs[i]) } });
        assert.deepEqual(Float32Array.from(answer.json().outputs.y.data), expected.y.data, `request ${i}`);
      }
      await sleep(1500); // room for a second, wrong completion to show up
      const jobIds = [...new Set(answers.map((answer) => answer.json().id.replace(/\.\d+$/, '')))];
      const jobs = await Promise.all(jobIds.map((id) => queue.getJob(id)));
      assert.ok(jobs.some((job) => job?.stalledCounter === 1), 'a job was taken over after the kill');
      for (const id of jobIds) assert.equal(completions.get(id), 1, `job ${id} completed once`);
      assert.equal(completions.size, jobIds.length);
      // Its inputs are deleted once completed; its outputs stay for polling.
      for (const id of jobIds) {
        assert.equal(await farm.app.farm.redis.exists(farmKeys.inferInputs(farm.config.queuePrefix, id)), 0);
        assert.equal(await farm.app.farm.redis.exists(farmKeys.inferOutputs(farm.config.queuePrefix, id)), 1);
      }
      alone.dispose();
      await events.close();
    } finally {
      await farm.stop();
    }
  });

  it('answers many pollers of many inferences 200 with a consistent state, and the outputs once completed', async () => {
    const farm = await TestFarm.start(redis, { TRTFARM_BATCHING: 'off' });
    try {
      await farm.startWorker();
      const build = await farm.build(mlp);
      const alone = await engine.loadEngine((await farm.store().get(build.plan.id))!);
      const inputs = Array.from({ length: 40 }, () => randomValues(8));
      const ids = await Promise.all(
        inputs.map(async (data) => (await farm.post('/v1/infer', { plan: build.plan.id, inputs: { x: { shape: [1, 8], data } } })).json().id as string),
      );
      const problems: string[] = [];
      await Promise.all(
        ids.flatMap((id, i) =>
          Array.from({ length: 6 }, async () => {
            for (;;) {
              const answer = await farm.get(`/v1/infer/${id}`);
              if (answer.statusCode !== 200) {
                problems.push(`${id}: ${answer.statusCode} ${answer.body}`);
                return;
              }
              const body = answer.json();
              if (body.status === 'completed') {
                const expected = await alone.infer({ x: { shape: [1, 8], data: Float32Array.from(inputs[i]) } });
                if (String(body.outputs?.y?.data) !== String(Array.from(expected.y.data))) problems.push(`${id}: wrong outputs ${answer.body}`);
                return;
              }
              if (body.status === 'failed') {
                problems.push(`${id}: failed ${answer.body}`);
                return;
              }
            }
          }),
        ),
      );
      assert.deepEqual(problems, []);
      alone.dispose();
    } finally {
      await farm.stop();
    }
  });
});
