// infer() checks its inputs against the plan: wrong names, counts, shapes and batches outside
// the profile reject with E_INPUT and a message; nothing runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { Engine, Tensor } from '../../shared/engine/types.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { seedInput, seedMatrixMultiply } from '../helpers/seed.js';

async function seedEngine(): Promise<Engine> {
  const profile = { x: { min: [2, 3, 4, 5], opt: [2, 3, 4, 5], max: [5, 3, 4, 5] } };
  const { plan } = await engine.build(seedMatrixMultiply(-1), { precision: 'fp32', backend: 'cpu', profile });
  return engine.loadEngine(plan);
}

async function rejectsInput(e: Engine, inputs: unknown, message: RegExp) {
  await assert.rejects(
    e.infer(inputs as Record<string, Tensor>),
    (err: unknown) => isEngineError(err, 'E_INPUT') && message.test(err.message),
    String(message),
  );
}

test('batches outside the profile are rejected', async () => {
  const e = await seedEngine();
  await rejectsInput(e, { x: { shape: [1, 3, 4, 5], data: seedInput(1) } }, /input 'x' has batch 1, outside the plan's profile \[2, 5\]/);
  await rejectsInput(e, { x: { shape: [6, 3, 4, 5], data: seedInput(6) } }, /batch 6, outside the plan's profile \[2, 5\]/);
  await rejectsInput(e, { x: { shape: [0, 3, 4, 5], data: new Float32Array() } }, /must have positive dimensions/);
  e.dispose();
});

test('wrong names, counts, ranks, dims and data types are rejected', async () => {
  const e = await seedEngine();
  const x = { shape: [2, 3, 4, 5], data: seedInput(2) };
  await rejectsInput(e, { x, y: x }, /unknown input 'y'; the plan's inputs are: x/);
  await rejectsInput(e, {}, /missing input 'x' \(-1, 3, 4, 5\)/);
  await rejectsInput(e, { x: { shape: [2, 3, 4, 5], data: seedInput(2).subarray(1) } }, /has 119 values but shape \(2, 3, 4, 5\) needs 120/);
  await rejectsInput(e, { x: { shape: [2, 60], data: seedInput(2) } }, /has rank 2 \(2, 60\); the plan expects \(-1, 3, 4, 5\)/);
  await rejectsInput(e, { x: { shape: [2, 3, 5, 4], data: seedInput(2) } }, /dimension 2 must be 4/);
  await rejectsInput(e, { x: { shape: [2, 3, 4, 5], data: Array.from(seedInput(2)) } }, /input 'x': data must be a Float32Array/);
  await rejectsInput(e, { x: { shape: [2, 3.5, 4, 5], data: seedInput(2) } }, /shape\[1\] must be an integer/);
  await rejectsInput(e, 'x', /inputs must be an object/);
  e.dispose();
});

test('dynamic inputs must share one batch', async () => {
  const network: NetworkSpec = {
    inputs: [
      { name: 'a', shape: [-1, 3] },
      { name: 'b', shape: [-1, 3] },
    ],
    layers: [{ name: 's', type: 'elementWise', inputs: ['a', 'b'], op: 'sum' }],
  };
  const range = { min: [1, 3], opt: [2, 3], max: [4, 3] };
  const { plan } = await engine.build(network, { precision: 'fp32', backend: 'cpu', profile: { a: range, b: range } });
  const e = await engine.loadEngine(plan);
  const t = (n: number) => ({ shape: [n, 3], data: new Float32Array(3 * n).fill(1) });
  await rejectsInput(e, { a: t(2), b: t(3) }, /has batch 3 but input 'a' has batch 2; every dynamic input must share one batch/);
  const out = await e.infer({ b: t(3), a: t(3) });
  assert.deepEqual([...out.s.data], new Array(9).fill(2));
  e.dispose();
});
