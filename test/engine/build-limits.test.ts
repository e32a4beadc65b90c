// Plan size and constant-folding cost are bounded before the build starts: validate() and build()
// size the build from shapes (the passes run without touching a weight) and refuse with
// E_NETWORK naming the limit, so issue 9's bombs are refused at once instead of building a
// 400 MiB plan or folding for 85 s; a network at a limit still builds, correctly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { EngineBuildOptions } from '../../shared/engine/types.js';
import { BUILD_LIMITS } from '../../shared/network/limits.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { constantChain, sharedConstant } from '../helpers/constant-networks.js';
import { randomData, seededRng } from '../helpers/random-network.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';

const farm: EngineBuildOptions = { precision: 'fp32', backend: 'cpu', limits: BUILD_LIMITS };
// Far below the seconds that building either network would take: proof that nothing was built or
// folded, with room for a loaded 2-core machine.
const REFUSED_WITHIN_MS = 1000;

function refusedByValidate(network: NetworkSpec, options: EngineBuildOptions, message: RegExp, limit?: string) {
  const start = performance.now();
  assert.throws(
    () => engine.validate(network, options),
    (err: unknown) => isEngineError(err, 'E_NETWORK') && message.test(err.message) && err.limit === limit,
    String(message),
  );
  return performance.now() - start;
}

async function buildsCorrectly(network: NetworkSpec, options: EngineBuildOptions) {
  const { plan } = await engine.build(network, options);
  const e = await engine.loadEngine(plan);
  try {
    const x = { shape: network.inputs[0].shape, data: randomData(seededRng(Date.now() >>> 0), network.inputs[0].shape[1]) };
    const got = await e.infer({ x });
    for (const [name, want] of Object.entries(referenceOutputs(network, { x }))) assert.ok(scaledError(got[name].data, want) <= 1e-4, name);
  } finally {
    e.dispose();
  }
}

test('one 1024² constant read by 100 products (a 400 MiB plan from 4 MiB) is refused by validate and build', async () => {
  const bomb = sharedConstant(seededRng(1), 1024, 100);
  const ms = refusedByValidate(bomb, farm, /the plan would hold 419430400 bytes \(400\.0 MiB\) of weights after constant folding and fusion, over the limit of 335544320 bytes \(320\.0 MiB\) \(limits\.planBytes\)/, 'planBytes');
  assert.ok(ms < REFUSED_WITHIN_MS, `validate took ${ms} ms`);
  await assert.rejects(engine.build(bomb, farm), (err: unknown) => isEngineError(err, 'E_NETWORK') && err.limit === 'planBytes');
});

test('12 chained products of a 1024² constant (85 s of folding) are refused by validate and build', async () => {
  const bomb = constantChain(seededRng(2), 1024, 12);
  const ms = refusedByValidate(bomb, farm, /constant folding would compute 2\.58e\+10 operations, over the limit of 1\.07e\+09 \(limits\.foldFlops\)/, 'foldFlops');
  assert.ok(ms < REFUSED_WITHIN_MS, `validate took ${ms} ms`);
  await assert.rejects(engine.build(bomb, farm), (err: unknown) => isEngineError(err, 'E_NETWORK') && err.limit === 'foldFlops');
});

test('a network exactly at its plan-size limit builds, correctly; one more fused copy is refused', async () => {
  const n = 128;
  const copy = n * n * 4; // each fused product stores C transposed, in fp32; C itself is dropped
  const options = { ...farm, limits: { ...BUILD_LIMITS, planBytes: 4 * copy } };
  await buildsCorrectly(sharedConstant(seededRng(3), n, 4), options);
  refusedByValidate(sharedConstant(seededRng(3), n, 5), options, /the plan would hold 327680 bytes \(0\.3 MiB\) of weights .* over the limit of 262144 bytes/, 'planBytes');
  // fp16 stores half the bytes: five copies fit the same limit.
  assert.doesNotThrow(() => engine.validate(sharedConstant(seededRng(3), n, 5), { ...options, precision: 'fp16' }));
});

test('a chain exactly at its folding limits builds, correctly; one more link is refused', async () => {
  const n = 64;
  const link = 2 * n ** 3;
  const options = { ...farm, limits: { ...BUILD_LIMITS, foldFlops: 3 * link, foldedBytes: 3 * n * n * 4 } };
  await buildsCorrectly(constantChain(seededRng(4), n, 3), options);
  refusedByValidate(constantChain(seededRng(4), n, 4), { ...options, limits: { foldedBytes: 3 * n * n * 4 } }, /constant folding would make 65536 bytes \(0\.1 MiB\) of constants, over the limit of 49152 bytes \(0\.0 MiB\) \(limits\.foldedBytes\)/, 'foldedBytes');
  refusedByValidate(constantChain(seededRng(4), n, 4), options, /limits\.foldFlops/, 'foldFlops');
});

test('limits absent are unlimited; malformed ones are refused by name', () => {
  assert.doesNotThrow(() => engine.validate(sharedConstant(seededRng(5), 256, 100), { precision: 'fp32', backend: 'cpu' }));
  const net = sharedConstant(seededRng(5), 16, 2);
  for (const [limits, message] of [
    [{ planBytes: -1 }, /options\.limits\.planBytes must be a number ≥ 0/],
    [{ foldFlops: 'many' }, /options\.limits\.foldFlops must be a number/],
    [{ foldedBytes: Number.NaN }, /options\.limits\.foldedBytes must be a number ≥ 0/],
    [[], /options\.limits must be an object/],
  ] as const) {
    refusedByValidate(net, { ...farm, limits: limits as EngineBuildOptions['limits'] }, message);
  }
});
