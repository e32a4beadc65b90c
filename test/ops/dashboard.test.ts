// The queue dashboard at /ui: bull-board's page, and its queue list following the farm's
// classes (a class appears once a worker serves it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { seedFullyConnected } from '../farm/seed.js';
import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';

describe('dashboard', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f), { worker: false });

  const queues = async () => {
    const answer = await farm.get('/ui/api/queues');
    assert.equal(answer.statusCode, 200, answer.body);
    return answer.json().queues as { name: string; counts: Record<string, number> }[];
  };

  it('serves the page at /ui, and lists every build and infer queue as workers bring their classes', async () => {
    const page = await farm.get('/ui');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /trtfarm/);
    assert.deepEqual(await queues(), []);

    await farm.spawnWorker();
    const served = (await farm.get('/v1/workers')).json()[0].queues as string[];
    let names: string[] = [];
    for (const deadline = Date.now() + 5_000; names.length < served.length && Date.now() < deadline; await sleep(100)) {
      names = (await queues()).map((queue) => queue.name);
    }
    assert.deepEqual(names.sort(), [...served].sort());

    await farm.build(seedFullyConnected);
    const build = (await queues()).find((queue) => queue.name.startsWith('build.'));
    assert.equal(build?.counts.completed, 1);
    // Read-only: no job can be removed from the page.
    const cleaned = await farm.app.inject({ method: 'PUT', url: `/ui/api/queues/${encodeURIComponent(build!.name)}/clean/completed` });
    assert.ok(cleaned.statusCode >= 400, `${cleaned.statusCode} ${cleaned.body}`);
    assert.equal((await queues()).find((queue) => queue.name === build!.name)?.counts.completed, 1);
  });
});
