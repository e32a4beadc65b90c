// Which job failures BullMQ retries: the machine's (E_BACKEND, E_RUNTIME, anything unknown) are
// retried; the caller's (E_NETWORK, E_INPUT, E_PLAN, E_COMPAT, a ValidationError) become
// UnrecoverableError with the same message. The errors are the addon's own, where it can be
// made to raise them here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { EngineErrorCode } from '../../shared/engine/types.js';
import { ValidationError } from '../../shared/network/validation-error.js';
import { asJobError, classifyFailure } from '../../worker/job-errors.js';
import { seedFullyConnected, seedInput } from '../helpers/seed.js';

async function addonError(code: EngineErrorCode, cause: () => Promise<unknown>): Promise<Error> {
  try {
    await cause();
  } catch (error) {
    assert.ok(isEngineError(error, code), `expected ${code}, got ${String(error)}`);
    return error;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

async function loadedSeed() {
  return engine.loadEngine((await engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'cpu' })).plan);
}

const causes: Record<EngineErrorCode, () => Promise<unknown>> = {
  E_NETWORK: () => engine.build({ ...seedFullyConnected(), outputs: ['x'] }, { precision: 'fp32', backend: 'cpu' }),
  E_INPUT: async () => {
    const e = await loadedSeed();
    try {
      return await e.infer({ y: { shape: [1, 3, 4, 5], data: seedInput() } });
    } finally {
      e.dispose();
    }
  },
  E_PLAN: () => engine.loadEngine(Buffer.from('not a plan at all')),
  // The addon raises it only for a plan from another machine; this is its shape (an Error with
  // that code), as native/src/addon/errors.h makes it.
  E_COMPAT: () => Promise.reject(Object.assign(new Error("plan was built for 'cpu:elsewhere'"), { code: 'E_COMPAT' })),
  E_BACKEND: () => engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'warp' as 'cpu' }),
  E_RUNTIME: async () => {
    const e = await loadedSeed();
    e.dispose();
    return e.infer({ x: { shape: [1, 3, 4, 5], data: seedInput() } });
  },
  E_CANCELLED: () => engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'cpu' }, undefined, { signal: AbortSignal.abort() }),
};

describe('job errors', () => {
  for (const code of ['E_BACKEND', 'E_RUNTIME'] as const) {
    it(`retries ${code} (the machine's failure): the error is passed on as it is`, async () => {
      const error = await addonError(code, causes[code]);
      assert.equal(asJobError(error), error);
      assert.ok(!(asJobError(error) instanceof UnrecoverableError));
    });
  }

  for (const code of ['E_NETWORK', 'E_INPUT', 'E_PLAN', 'E_COMPAT'] as const) {
    it(`fails ${code} (the caller's) at once: UnrecoverableError with the engine's message`, async () => {
      const error = await addonError(code, causes[code]);
      const jobError = asJobError(error);
      assert.ok(jobError instanceof UnrecoverableError);
      assert.equal(jobError.message, error.message);
    });
  }

  it('fails a ValidationError at once, and retries an uncoded error or a thrown non-Error', () => {
    const invalid = asJobError(new ValidationError('inputs.x.shape: bad'));
    assert.ok(invalid instanceof UnrecoverableError);
    assert.equal(invalid.message, 'inputs.x.shape: bad');
    const plain = new Error('ECONNRESET');
    assert.equal(asJobError(plain), plain);
    const thrown = asJobError('a string');
    assert.ok(thrown instanceof Error && !(thrown instanceof UnrecoverableError));
    assert.equal(thrown.message, 'a string');
  });

  it('classifyFailure returns the result, or throws the classified error', async () => {
    assert.equal(await classifyFailure(async () => 42), 42);
    await assert.rejects(classifyFailure(causes.E_INPUT), UnrecoverableError);
    await assert.rejects(classifyFailure(causes.E_RUNTIME), (error: unknown) => isEngineError(error, 'E_RUNTIME'));
  });
});
