// GET /v1/plans (newest first, filters, paging), names given at build time (not part of the id;
// a name resolves to the newest plan given it), and DELETE /v1/plans/:planId.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { resolveModel } from '../../api/infer/resolve-model.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

function network(k: number) {
  return {
    inputs: [{ name: 'x', shape: [1, 4] }],
    layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: Array.from({ length: 8 }, (_, i) => (i - k) / 8) }],
  };
}

describe('the plan list, names and plan deletion', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  async function list(query: string) {
    const answer = await farm.get(`/v1/plans?${query}`);
    assert.equal(answer.statusCode, 200, answer.body);
    return answer.json() as { plans: { id: string; precision: string; names: string[] }[]; next?: string };
  }

  it('lists plans newest first, filtered, in pages that neither skip nor repeat', async () => {
    const built: { plan: { id: string }; precision: string }[] = [];
    for (const [k, precision] of [[1, 'fp32'], [2, 'fp16'], [3, 'fp32'], [4, 'bf16'], [5, 'fp32']] as const) {
      built.push({ ...(await farm.build({ network: network(k), precision, backend: 'cpu', report: false })), precision });
    }
    const newestFirst = built.map((b) => b.plan.id).reverse();
    assert.deepEqual((await list('limit=10')).plans.map((p) => p.id), newestFirst);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.plans.length <= 2);
      pages.push(...page.plans.map((p) => p.id));
      cursor = page.next;
    } while (cursor);
    assert.deepEqual(pages, newestFirst);
    const fp32 = await list('precision=fp32&backend=cpu&limit=2');
    assert.deepEqual(fp32.plans.map((p) => p.id), [built[4].plan.id, built[2].plan.id]);
    assert.deepEqual((await list(`precision=fp32&cursor=${fp32.next}`)).plans.map((p) => p.id), [built[0].plan.id]);
    assert.equal((await list('backend=cuda')).plans.length, 0);
    assert.equal((await list('limit=100000')).plans.length, 5, 'a larger limit is clamped');
    for (const bad of ['limit=0', 'limit=1.5', 'precision=fp64', 'cursor=abc', 'backend=auto', 'unknown=1']) {
      assert.equal((await farm.get(`/v1/plans?${bad}`)).statusCode, 400, bad);
    }
  });

  it('gives one build every name it is submitted under, and resolves a name to the newest plan given it', async () => {
    const a = await farm.build({ network: network(10), backend: 'cpu', name: 'mlp', report: false });
    const again = await farm.post('/v1/builds', { network: network(10), backend: 'cpu', name: 'mlp-v1', report: false });
    assert.equal(again.statusCode, 200, 'the same build: a name is not part of the id');
    assert.equal(again.json().id, a.id);
    assert.deepEqual((await farm.get(`/v1/plans/${a.plan.id}/meta`)).json().names, ['mlp', 'mlp-v1']);
    assert.equal((await resolveModel(farm.app.farm, 'mlp'))?.id, a.plan.id);
    assert.equal((await resolveModel(farm.app.farm, 'mlp-v1'))?.id, a.plan.id);

    const b = await farm.build({ network: network(11), backend: 'cpu', name: 'mlp', report: false });
    assert.equal((await resolveModel(farm.app.farm, 'mlp'))?.id, b.plan.id, 'the newest plan of the name');
    assert.equal((await resolveModel(farm.app.farm, 'mlp-v1'))?.id, a.plan.id);
    assert.equal((await resolveModel(farm.app.farm, b.plan.id))?.id, b.plan.id, 'a plan id');
    assert.equal(await resolveModel(farm.app.farm, 'nobody'), undefined);
    assert.deepEqual((await list('name=mlp')).plans.map((p) => p.id), [b.plan.id, a.plan.id]);

    // A sweep's name goes to each of its plans.
    const sweep = await farm.post('/v1/sweeps', { network: network(12), name: 'swept', precisions: ['fp32', 'fp16'], backends: ['cpu'], report: false });
    assert.equal(sweep.statusCode, 202, sweep.body);
    for (const build of sweep.json().builds) await farm.waitForBuild(build.id);
    assert.equal((await list('name=swept')).plans.length, 2);
  });

  it('deletes a plan: gone from the list, its names and its meta; its build says so and builds again when resubmitted', async () => {
    const older = await farm.build({ network: network(20), backend: 'cpu', name: 'gone', report: false });
    const newer = await farm.build({ network: network(21), backend: 'cpu', name: 'gone', report: false });
    const deleted = await farm.app.inject({ method: 'DELETE', url: `/v1/plans/${newer.plan.id}` });
    assert.equal(deleted.statusCode, 200, deleted.body);
    assert.equal((await farm.get(`/v1/plans/${newer.plan.id}/meta`)).statusCode, 404);
    assert.equal((await farm.get(`/v1/plans/${newer.plan.id}`)).statusCode, 404);
    assert.ok(!(await list('limit=500')).plans.some((p) => p.id === newer.plan.id));
    assert.equal((await resolveModel(farm.app.farm, 'gone'))?.id, older.plan.id, 'the name falls back to the older plan');
    assert.deepEqual((await farm.get(`/v1/builds/${newer.id}`)).json(), { id: newer.id, status: 'completed', progress: 100, deletedPlan: newer.plan.id });
    assert.equal((await farm.app.inject({ method: 'DELETE', url: `/v1/plans/${newer.plan.id}` })).statusCode, 404);

    const resubmitted = await farm.post('/v1/builds', { network: network(21), backend: 'cpu', report: false });
    assert.equal(resubmitted.statusCode, 202, resubmitted.body);
    const rebuilt = await farm.waitForBuild(newer.id);
    assert.equal(rebuilt.plan.id, newer.plan.id, 'cpu plans are deterministic');
    assert.equal((await farm.get(`/v1/plans/${newer.plan.id}/meta`)).statusCode, 200);
  });
});
