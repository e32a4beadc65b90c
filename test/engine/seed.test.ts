// The seed golden through the addon: both forms give [1770, -1770], at every precision.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../shared/engine/addon.js';
import type { Precision } from '../../shared/network/spec.js';
import { SEED_EXPECTED, seedFullyConnected, seedInput, seedMatrixMultiply } from '../helpers/seed.js';

const PRECISIONS: Precision[] = ['fp32', 'tf32', 'fp16', 'bf16'];

test('seed fullyConnected form: (1,3,4,5) of 0..59 → (1,2,1,1) [1770, -1770]', async () => {
  const { plan } = await engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'cpu' });
  const e = await engine.loadEngine(plan);
  const out = await e.infer({ x: { shape: [1, 3, 4, 5], data: seedInput() } });
  assert.deepEqual(out.fc.shape, [1, 2, 1, 1]);
  assert.deepEqual([...out.fc.data], SEED_EXPECTED);
  e.dispose();
});

test('seed matrixMultiply form: same input → (1,2) [1770, -1770]', async () => {
  const { plan } = await engine.build(seedMatrixMultiply(), { precision: 'fp32', backend: 'cpu' });
  const e = await engine.loadEngine(plan);
  const out = await e.infer({ x: { shape: [1, 3, 4, 5], data: seedInput() } });
  assert.deepEqual(Object.keys(out), ['y']);
  assert.deepEqual(out.y.shape, [1, 2]);
  assert.deepEqual([...out.y.data], SEED_EXPECTED);
  e.dispose();
});

test('seed both forms are exact at every precision (±1 and 0..59 are representable)', async () => {
  for (const precision of PRECISIONS)
    for (const network of [seedFullyConnected(), seedMatrixMultiply()]) {
      const { plan, info } = await engine.build(network, { precision, backend: 'cpu' });
      assert.equal(info.precision, precision);
      const e = await engine.loadEngine(plan);
      const out = Object.values(await e.infer({ x: { shape: [1, 3, 4, 5], data: seedInput() } }))[0];
      assert.deepEqual([...out.data], SEED_EXPECTED, `${precision} ${network.layers.length} layers`);
      e.dispose();
    }
});

test('seed with a dynamic batch: every batch of the profile gives the golden per row', async () => {
  const profile = { x: { min: [1, 3, 4, 5], opt: [2, 3, 4, 5], max: [5, 3, 4, 5] } };
  const { plan, info } = await engine.build(seedMatrixMultiply(-1), { precision: 'fp32', backend: 'cpu', profile });
  assert.deepEqual(info.batch, { min: 1, opt: 2, max: 5 });
  assert.deepEqual(info.inputs[0].shape, [-1, 3, 4, 5]);
  const e = await engine.loadEngine(plan);
  for (let batch = 1; batch <= 5; batch++) {
    const out = await e.infer({ x: { shape: [batch, 3, 4, 5], data: seedInput(batch) } });
    assert.deepEqual(out.y.shape, [batch, 2]);
    assert.deepEqual([...out.y.data], Array.from({ length: batch }, () => SEED_EXPECTED).flat());
  }
  e.dispose();
});
