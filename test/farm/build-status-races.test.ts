// GET /v1/builds/:id while builds finish: many pollers over many builds never see a 500 (a job
// read while active, its state read after it completed), and every completed answer has its
// plan. Two different builds whose plans are the same bytes each report their own build.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

const POLLERS = 6;
const BUILDS = 16;

function network(k: number) {
  return {
    inputs: [{ name: 'x', shape: [1, 4] }],
    layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: Array.from({ length: 8 }, (_, i) => (i + k) / 8) }],
  };
}

describe('build status while builds finish', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  it(`answers ${POLLERS} pollers on each of ${BUILDS} builds with no error, and a plan with every completed`, async () => {
    const ids: string[] = [];
    for (let k = 0; k < BUILDS; k++) {
      const posted = await farm.post('/v1/builds', { network: network(k), backend: 'cpu' });
      assert.equal(posted.statusCode, 202, posted.body);
      ids.push(posted.json().id);
    }
    const seen: number[] = [];
    await Promise.all(
      ids.flatMap((id) =>
        Array.from({ length: POLLERS }, async () => {
          for (;;) {
            const answer = await farm.get(`/v1/builds/${id}`);
            seen.push(answer.statusCode);
            assert.equal(answer.statusCode, 200, answer.body);
            const status = answer.json();
            if (status.status === 'completed') {
              assert.equal(status.plan.buildId, id);
              return;
            }
            assert.notEqual(status.status, 'failed', answer.body);
          }
        }),
      ),
    );
    assert.ok(seen.length >= BUILDS * POLLERS);
  });

  it("reports each build's own buildId, createdAt, buildMs and report when two builds give the same plan bytes", async () => {
    const first = await farm.build({ network: network(100), backend: 'auto' });
    const second = await farm.build({ network: network(100), backend: 'cpu' });
    assert.notEqual(first.id, second.id);
    assert.equal(first.plan.id, second.plan.id, 'the same plan bytes');
    assert.equal(second.plan.buildId, second.id);
    assert.ok(second.plan.createdAt > first.plan.createdAt, `${second.plan.createdAt} after ${first.plan.createdAt}`);
    assert.notDeepEqual(second.plan.report, first.plan.report, 'measured again, on other random inputs');
    // Still its own once its job is gone and the build index answers.
    const queue = await farm.cpuQueue('build');
    await (await queue.getJob(second.id))!.remove();
    const fromIndex = (await farm.get(`/v1/builds/${second.id}`)).json();
    assert.equal(fromIndex.plan.buildId, second.id);
    assert.equal(fromIndex.plan.createdAt, second.plan.createdAt);
    assert.equal(fromIndex.plan.buildMs, second.plan.buildMs);
    // The plan's own meta stays the first build's.
    assert.equal((await farm.get(`/v1/plans/${first.plan.id}/meta`)).json().buildId, first.id);
  });
});
