// Large outputs are recycled blocks (native/src/addon/output_arrays.h): an array handed out is
// never written by a later call while it is reachable, a block comes back only once its array
// was collected, and a recycled block holds nothing but the new call's values (every element
// written, none left from before), whatever the batch. Checked against the float64 reference
// on fresh random inputs, with many more calls than the pool keeps blocks for.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../shared/engine/addon.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { randomValues } from '../farm/seed.js';

const K = 8;
const N = 8192; // one row of output: 32 KiB; batch 2 and up are recycled (64 KiB and more)

const network: NetworkSpec = {
  inputs: [{ name: 'x', shape: [-1, K] }],
  layers: [{ name: 'fc', type: 'fullyConnected', outputs: N, weights: Float32Array.from(randomValues(K * N)), bias: Float32Array.from(randomValues(N)) }],
};

test('recycled output arrays are independent and fully written', async () => {
  const { plan } = await engine.build(network, { backend: 'cpu', precision: 'fp32', profile: { x: { min: [1, K], opt: [4, K], max: [32, K] } } });
  const e = await engine.loadEngine(plan);
  try {
    // Held at once: no two share memory, each is its own call's answer.
    const held = [];
    for (let i = 0; i < 12; i++) {
      const batch = 1 + (i % 6) * 5;
      const data = Float32Array.from(randomValues(batch * K));
      held.push({ batch, data, out: (await e.infer({ x: { shape: [batch, K], data } })).fc.data });
    }
    for (const { batch, data, out } of held) {
      assert.equal(out.length, batch * N);
      assert.ok(scaledError(out, referenceOutputs(network, { x: { shape: [batch, K], data } }).fc) < 1e-5);
    }
    // Dropped at once: hundreds of MiB through the pool, blocks coming
    // back after collections; a smaller batch in a block of a larger one's size gets no stale values.
    for (let i = 0; i < 600; i++) {
      const batch = [32, 17, 3, 31, 16][i % 5];
      const data = Float32Array.from(randomValues(batch * K));
      const out = (await e.infer({ x: { shape: [batch, K], data } })).fc.data;
      if (i % 50 === 0 || batch === 17) {
        assert.equal(out.length, batch * N);
        assert.ok(scaledError(out, referenceOutputs(network, { x: { shape: [batch, K], data } }).fc) < 1e-5, `call ${i}, batch ${batch}`);
      }
    }
  } finally {
    e.dispose();
  }
});
