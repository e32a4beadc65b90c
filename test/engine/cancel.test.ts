// build(…, { signal }): aborting the signal stops a running build within one step (the cancel
// flag is read between passes and per folded row) with E_CANCELLED; the promise settles only once
// the build's thread has returned (AsyncWorker), so that thread is free when it does. An aborted
// signal rejects at once; a signal that never fires changes nothing.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { EngineBuildOptions } from '../../shared/engine/types.js';
import { constantChain } from '../helpers/constant-networks.js';
import { seededRng } from '../helpers/random-network.js';
import { seedFullyConnected } from '../helpers/seed.js';

const cpu: EngineBuildOptions = { precision: 'fp32', backend: 'cpu' };
const cancelled = (err: unknown) => isEngineError(err, 'E_CANCELLED') && /cancelled/.test(err.message);

test('a long cpu build aborted mid-way rejects with E_CANCELLED within a fraction of one folded product', async () => {
  const n = 512;
  // The time of one folded n³ product, measured here: the build below folds 40 of them.
  const one = performance.now();
  await engine.build(constantChain(seededRng(1), n, 1), cpu);
  const productMs = performance.now() - one;

  const controller = new AbortController();
  const stages: string[] = [];
  const build = engine.build(constantChain(seededRng(2), n, 40), cpu, (_fraction, stage) => stages.push(stage), {
    signal: controller.signal,
  });
  await new Promise((resolve) => setTimeout(resolve, 3 * productMs));
  const abortedAt = performance.now();
  controller.abort();
  await assert.rejects(build, cancelled);
  const latencyMs = performance.now() - abortedAt;
  assert.ok(latencyMs < productMs, `rejected ${latencyMs.toFixed(0)} ms after the abort; one product takes ${productMs.toFixed(0)} ms`);
  assert.ok(stages.includes('compiling'), 'it was folding when aborted');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'the abort listener is removed');
  // The next build runs normally.
  assert.ok((await engine.build(seedFullyConnected(), cpu)).plan.length > 0);
});

test('an already aborted signal rejects at once, before any work', async () => {
  const progress: number[] = [];
  await assert.rejects(
    engine.build(constantChain(seededRng(3), 512, 40), cpu, (fraction) => progress.push(fraction), { signal: AbortSignal.abort() }),
    cancelled,
  );
  assert.deepEqual(progress, []);
});

test('a build whose signal never fires is unaffected, and aborting after it completed does nothing', async () => {
  const controller = new AbortController();
  const withSignal = await engine.build(seedFullyConnected(), cpu, undefined, { signal: controller.signal });
  const without = await engine.build(seedFullyConnected(), cpu);
  assert.ok(withSignal.plan.equals(without.plan));
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  controller.abort();
  assert.equal(withSignal.timingCache, undefined, 'cpu builds have no timing cache');
});

test('a signal that is not an AbortSignal is refused by name', () => {
  assert.throws(
    () => engine.build(seedFullyConnected(), cpu, undefined, { signal: {} as AbortSignal }),
    (err: unknown) => isEngineError(err, 'E_NETWORK') && /signal must be an AbortSignal/.test(err.message),
  );
});
