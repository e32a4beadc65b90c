// Several inferences in flight on one engine, and several builds at once, each get their own
// correct result.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../shared/engine/addon.js';
import { randomData, randomNetwork, seededRng } from '../helpers/random-network.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';

test('concurrent inferences at different batches on one engine are each correct', async () => {
  const rn = randomNetwork(seededRng(31), { depth: 4, rank: 2, dynamic: true, blocks: ['fc', 'matmul', 'residual', 'fc'] });
  const { plan } = await engine.build(rn.network, { precision: 'fp32', backend: 'cpu', profile: rn.profile });
  const e = await engine.loadEngine(plan);
  const { min, max } = { min: rn.profile!.x.min[0], max: rn.profile!.x.max[0] };
  const rng = seededRng(32);
  const runs = Array.from({ length: 16 }, (_, i) => {
    const batch = min + (i % (max - min + 1));
    const shape = [batch, ...rn.network.inputs[0].shape.slice(1)];
    return { x: { shape, data: randomData(rng, shape.reduce((a, b) => a * b, 1)) } };
  });
  const results = await Promise.all(runs.map((inputs) => e.infer(inputs)));
  results.forEach((got, i) => {
    for (const [name, want] of Object.entries(referenceOutputs(rn.network, runs[i]))) {
      assert.deepEqual(got[name].shape, want.shape);
      assert.ok(scaledError(got[name].data, want) <= 1e-5, `run ${i} output ${name}`);
    }
  });
  e.dispose();
});

test('concurrent builds of different networks give the plans of separate builds', async () => {
  const networks = [1, 2, 3, 4].map((seed) => randomNetwork(seededRng(seed), { depth: 3, rank: 4, dynamic: true }));
  const together = await Promise.all(
    networks.map((rn) => engine.build(rn.network, { precision: 'bf16', backend: 'cpu', profile: rn.profile })),
  );
  for (const [i, rn] of networks.entries()) {
    const alone = await engine.build(rn.network, { precision: 'bf16', backend: 'cpu', profile: rn.profile });
    assert.ok(alone.plan.equals(together[i].plan), `network ${i}`);
  }
});
