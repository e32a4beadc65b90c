// Sweeps: the grid and list forms, each variant an ordinary build (the id POST /v1/builds gives
// it, not built twice), a variant that fails alone, the report on every plan and `best`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { SWEEP_QUEUE } from '../../shared/queue/names.js';
import { failsInFp16, networkJson, precisionTrap, trapProfile } from '../helpers/precision-trap.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

const profiles = [
  { x: { min: [1, 60], opt: [2, 60], max: [4, 60] } },
  { x: { min: [1, 60], opt: [8, 60], max: [16, 60] } },
];

describe('sweeps', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  async function finished(id: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await farm.get(`/v1/sweeps/${id}`);
      assert.equal(answer.statusCode, 200, answer.body);
      const status = answer.json();
      if (status.status === 'completed') return status;
      if (Date.now() > deadline) throw new Error(`sweep still ${status.status}: ${answer.body}`);
      await sleep(50);
    }
  }

  it('builds every combination of the grid, each with its report, and names the fastest passing plan at the sweep batch', async () => {
    const network = networkJson(precisionTrap());
    const posted = await farm.post('/v1/sweeps', { network, precisions: ['fp32', 'fp16'], profiles, backends: ['cpu'] });
    assert.equal(posted.statusCode, 202, posted.body);
    const { id, builds } = posted.json();
    assert.equal(builds.length, 4);
    assert.deepEqual(
      builds.map((b: { precision: string; profile: unknown }) => [b.precision, b.profile]),
      [['fp32', profiles[0]], ['fp32', profiles[1]], ['fp16', profiles[0]], ['fp16', profiles[1]]],
    );
    const status = await finished(id);
    assert.equal(status.progress, 100);
    assert.equal(status.batch, 2, 'the smallest opt batch among the variants');
    for (const build of status.builds) {
      assert.equal(build.status, 'completed', JSON.stringify(build));
      const { report } = build.plan;
      assert.ok(report.ms > 0);
      const batches = report.latency.map((entry: { batch: number }) => entry.batch);
      for (const b of [build.profile.x.min[0], build.profile.x.opt[0], build.profile.x.max[0]]) assert.ok(batches.includes(b), `${b} in ${batches}`);
      assert.equal(report.accuracy.pass, build.precision === 'fp32', JSON.stringify(report.accuracy));
      // At the sweep's batch: measured where the profile admits it.
      assert.equal(build.atBatch?.batch, 2);
    }
    // The fp16 plans cannot meet their tolerance on this network: best is an fp32 one.
    const passing = status.builds.filter((b: { precision: string }) => b.precision === 'fp32');
    const fastest = passing.reduce((a: { atBatch: { p50Ms: number } }, b: { atBatch: { p50Ms: number } }) => (b.atBatch.p50Ms < a.atBatch.p50Ms ? b : a));
    assert.equal(status.best.planId, fastest.plan.id);
    assert.match(status.best.why, /batch 2/);

    // Each variant is the build POST /v1/builds makes of it: already completed, not built again.
    const plans = await farm.store().count();
    const single = await farm.post('/v1/builds', { network, precision: 'fp16', profile: profiles[1], backend: 'cpu' });
    assert.equal(single.statusCode, 200, single.body);
    assert.equal(single.json().id, builds[3].id);
    assert.equal(await farm.store().count(), plans);
  });

  it('takes the list form, reuses a build made before through /v1/builds, and lets a failing variant fail alone', async () => {
    const network = failsInFp16();
    const before = await farm.build({ network, precision: 'bf16', profile: trapProfileFor(1), backend: 'cpu' });
    const posted = await farm.post('/v1/sweeps', {
      network,
      variants: [
        { precision: 'fp32', profile: trapProfileFor(1), backend: 'cpu' },
        { precision: 'fp16', profile: trapProfileFor(1), backend: 'cpu' },
        { precision: 'bf16', profile: trapProfileFor(1), backend: 'cpu' },
      ],
    });
    assert.equal(posted.statusCode, 202, posted.body);
    const { id, builds } = posted.json();
    assert.equal(builds[2].id, before.id, 'the bf16 variant is the earlier build');
    const status = await finished(id);
    assert.deepEqual(status.builds.map((b: { status: string }) => b.status), ['completed', 'failed', 'completed']);
    assert.match(status.builds[1].error.message, /outside the fp16 range/);
    assert.equal(status.builds[2].plan.id, before.plan.id);
    assert.equal(status.builds[2].plan.createdAt, before.plan.createdAt, 'not built again');

    // The same sweep again: the same id, nothing new to build but the failed variant, tried again.
    const again = await farm.post('/v1/sweeps', {
      network,
      variants: [
        { precision: 'fp32', profile: trapProfileFor(1), backend: 'cpu' },
        { precision: 'fp16', profile: trapProfileFor(1), backend: 'cpu' },
        { precision: 'bf16', profile: trapProfileFor(1), backend: 'cpu' },
      ],
    });
    assert.equal(again.json().id, id);
    const second = await finished(id);
    assert.deepEqual(second.builds.map((b: { status: string }) => b.status), ['completed', 'failed', 'completed']);

    // The flows' parents ran once their children had finished, failed ones included.
    const parents = farm.app.farm.queue(SWEEP_QUEUE);
    for (let i = 0; i < 200 && (await parents.getJobCountByTypes('waiting-children', 'wait', 'active')) > 0; i++) await sleep(25);
    assert.equal(await parents.getJobCountByTypes('waiting-children', 'wait', 'active', 'failed'), 0);
    assert.ok((await parents.getCompletedCount()) >= 3);
  });

  it('refuses a grid over 256 variants, a request with both forms, and an invalid variant, queueing nothing', async () => {
    const network = networkJson(precisionTrap());
    const jobs = await farm.jobCount();
    const many = Array.from({ length: 65 }, (_, i) => ({ x: { min: [1, 60], opt: [1, 60], max: [i + 1, 60] } }));
    const tooMany = await farm.post('/v1/sweeps', { network, precisions: ['fp32', 'tf32', 'fp16', 'bf16'], profiles: many });
    assert.equal(tooMany.statusCode, 400, tooMany.body);
    assert.match(tooMany.json().message, /260 combinations: at most 256/);
    const both = await farm.post('/v1/sweeps', { network, precisions: ['fp32'], variants: [{ precision: 'fp32' }] });
    assert.equal(both.statusCode, 400, both.body);
    const badProfile = await farm.post('/v1/sweeps', { network, variants: [{ profile: trapProfile }, { profile: { x: { min: [1, 61], opt: [1, 61], max: [1, 61] } } }] });
    assert.equal(badProfile.statusCode, 400, badProfile.body);
    assert.equal(await farm.jobCount(), jobs);
    assert.equal((await farm.get(`/v1/sweeps/${'0'.repeat(64)}`)).statusCode, 404);
  });
});

function trapProfileFor(min: number) {
  return { x: { min: [min, 1], opt: [2, 1], max: [4, 1] } };
}
