// The worker's engine cache with room for one plan and two plans in use at once: each load
// evicts the other plan's engine, and no job may ever run on (or fail with) a disposed one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { engine } from '../../shared/engine/addon.js';
import { EngineCache } from '../../worker/engine-cache.js';
import { seedFullyConnected, seedInput, seedWeights } from '../helpers/seed.js';

// The seed's FC with weights ±scale: [1770·scale, −1770·scale]; the same size for every scale.
async function seedPlan(scale: number): Promise<Buffer> {
  const network = seedFullyConnected();
  network.layers[0] = { ...network.layers[0], weights: seedWeights().map((w) => w * scale) } as (typeof network.layers)[0];
  return (await engine.build(network, { precision: 'fp32', backend: 'cpu' })).plan;
}

// Loads finish one by one (each in its own native callback); in a worker two can still
// complete in one turn of the event loop (e.g. plan reads answered in one Redis reply). This
// loader makes that happen every time: it hands out the engines only once every load in
// flight has one, all in the same turn.
function loaderFinishingTogether(plans: Map<string, Buffer>) {
  let inFlight: { ready: boolean; release: () => void }[] = [];
  return async (planId: string) => {
    const load = { ready: false, release: () => {} };
    const released = new Promise<void>((resolve) => (load.release = resolve));
    inFlight.push(load);
    const loaded = await engine.loadEngine(plans.get(planId)!);
    load.ready = true;
    if (inFlight.every((l) => l.ready)) {
      for (const l of inFlight) l.release();
      inFlight = [];
    }
    await released;
    return { engine: loaded, bytes: plans.get(planId)!.byteLength };
  };
}

describe('engine cache', () => {
  it('serves two plans inferred concurrently through a cache that holds only one, never on a disposed engine', async () => {
    const plans = new Map([
      ['one', await seedPlan(1)],
      ['two', await seedPlan(2)],
    ]);
    const size = plans.get('one')!.byteLength;
    assert.equal(plans.get('two')!.byteLength, size);
    const cache = new EngineCache(size, loaderFinishingTogether(plans));
    const x = { shape: [1, 3, 4, 5], data: seedInput() };

    const failures: string[] = [];
    for (let round = 0; round < 20; round++) {
      // Neither plan loaded: both rounds' loads run at once and the second evicts the first.
      cache.clear();
      const runs = Array.from({ length: 8 }, async (_, i) => {
        const [planId, scale] = i % 2 === 0 ? ['one', 1] : ['two', 2];
        const out = await cache.use(planId, (e) => e.infer({ x }));
        assert.deepEqual([...out.fc.data], [1770 * scale, -1770 * scale], `plan ${planId}`);
      });
      for (const result of await Promise.allSettled(runs)) if (result.status === 'rejected') failures.push(String(result.reason));
    }
    assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of 160 inferences failed`);
    cache.clear();
  });
});
