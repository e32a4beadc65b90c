// Random networks of every layer kind against the float64 reference, at every precision and,
// for a dynamic batch, at the profile's min, opt, max and a batch in between.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../shared/engine/addon.js';
import type { NetworkSpec, Precision } from '../../shared/network/spec.js';
import { ACTIVATIONS, BLOCKS, randomData, randomNetwork, seededRng, type RandomNetwork } from '../helpers/random-network.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';

// The cpu backend computes in fp32; fp16/bf16 plans hold weights rounded to 16 bits.
// fp8 is a cuda precision (the cpu backend refuses it: validate.test.ts); its entry is the contract's.
const TOLERANCE: Record<Precision, number> = { fp32: 1e-5, tf32: 1e-3, fp16: 1e-2, bf16: 1e-2, fp8: 3e-2 };

async function checkAgainstReference(seed: number, precision: Precision, rn: RandomNetwork) {
  const { plan } = await engine.build(rn.network, { precision, backend: 'cpu', profile: rn.profile });
  const e = await engine.loadEngine(plan);
  const dataRng = seededRng(seed * 7919 + 1);
  try {
    for (const batch of rn.batches) {
      const shape = [batch, ...rn.network.inputs[0].shape.slice(1)];
      const x = { shape, data: randomData(dataRng, shape.reduce((a, b) => a * b, 1)) };
      const got = await e.infer({ x });
      const want = referenceOutputs(rn.network, { x });
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
      for (const [name, tensor] of Object.entries(want)) {
        assert.deepEqual(got[name].shape, tensor.shape, `seed ${seed} ${precision} output ${name} shape`);
        const error = scaledError(got[name].data, tensor);
        assert.ok(
          error <= TOLERANCE[precision],
          `seed ${seed} ${precision} batch ${batch} blocks ${rn.blocks.join(',')} output ${name}: error ${error}`,
        );
      }
    }
  } finally {
    e.dispose();
  }
}

test('every block kind, 2-D and 4-D inputs, static and dynamic batch, fp32 vs the float64 reference', async () => {
  let seed = 1000;
  for (const block of BLOCKS)
    for (const rank of [2, 4] as const)
      for (const dynamic of [false, true]) {
        const rng = seededRng(++seed);
        const rn = randomNetwork(rng, { depth: 1 + (seed % 4), rank, dynamic, blocks: [block] });
        await checkAgainstReference(seed, 'fp32', rn);
      }
});

test('every activation, fused into a Gemm and standalone, at its documented semantics', async () => {
  for (const kind of ACTIVATIONS)
    for (const alpha of kind === 'leakyRelu' ? [undefined, 0.2] : [undefined]) {
      const rng = seededRng(77);
      const network: NetworkSpec = {
        inputs: [{ name: 'x', shape: [-1, 7] }],
        layers: [
          { name: 'fc', type: 'fullyConnected', outputs: 5, weights: randomData(rng, 35, 1.5) },
          { name: 'fused', type: 'activation', kind, alpha },
          { name: 'square', type: 'elementWise', inputs: ['fused', 'fc'], op: 'prod' },
          { name: 'alone', type: 'activation', kind, alpha },
        ],
      };
      const profile = { x: { min: [1, 7], opt: [3, 7], max: [9, 7] } };
      await checkAgainstReference(77, 'fp32', { network, profile, batches: [1, 9], blocks: ['activation'] });
    }
});

test('random networks of depth 1 to 4 at every precision vs the float64 reference', async () => {
  for (const precision of ['fp32', 'tf32', 'fp16', 'bf16'] as Precision[])
    for (let i = 0; i < 24; i++) {
      const seed = 5000 + i + 100 * ['fp32', 'tf32', 'fp16', 'bf16'].indexOf(precision);
      const rng = seededRng(seed);
      const rn = randomNetwork(rng, { depth: 1 + (i % 4), rank: i % 2 ? 4 : 2, dynamic: i % 3 !== 0 });
      await checkAgainstReference(seed, precision, rn);
    }
});
