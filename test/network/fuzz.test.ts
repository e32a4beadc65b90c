// Property-based: build requests in the network JSON, valid ones (random networks of every layer
// kind) and the same damaged at random places, never get anything but a clear answer. Through
// parseBuildRequest and engine.validate: a ValidationError or a caller's engine error, each with a
// message, or acceptance, and then the network builds. Through the API: 2xx, or 4xx with a message;
// never a 5xx. Run counts: test/helpers/fuzz-runs.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { engine, isCallerError } from '../../shared/engine/addon.js';
import { parseBuildRequest } from '../../shared/network/build-request.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { ValidationError } from '../../shared/network/validation-error.js';
import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';
import { fuzzParameters } from '../helpers/fuzz-runs.js';
import { mutate, mutations, type Json } from '../helpers/mutate.js';
import { randomNetwork, seededRng } from '../helpers/random-network.js';

// A random valid network as request JSON, its float data as numbers or as base64.
function requestJson(seed: number, depth: number, rank: 2 | 4, dynamic: boolean, asBase64: boolean): Json {
  const { network, profile } = randomNetwork(seededRng(seed), { depth, rank, dynamic });
  const data = (values: Float32Array): Json => (asBase64 ? { base64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') } : Array.from(values));
  const layers = network.layers.map((layer): Json => {
    const json: Record<string, Json> = JSON.parse(JSON.stringify({ ...layer, weights: undefined, bias: undefined, values: undefined }));
    if (layer.type === 'fullyConnected') {
      json.weights = data(layer.weights);
      if (layer.bias) json.bias = data(layer.bias);
    }
    if (layer.type === 'constant') json.values = data(layer.values);
    return json;
  });
  const body: Record<string, Json> = { network: { ...(JSON.parse(JSON.stringify(network)) as Record<string, Json>), layers }, backend: 'cpu' };
  if (profile) body.profile = profile as unknown as Json;
  return body;
}

const requests = fc
  .record({
    seed: fc.integer(),
    depth: fc.integer({ min: 1, max: 3 }),
    rank: fc.constantFrom<2 | 4>(2, 4),
    dynamic: fc.boolean(),
    asBase64: fc.boolean(),
    damage: mutations,
  })
  .map(({ seed, depth, rank, dynamic, asBase64, damage }) => mutate(requestJson(seed, depth, rank, dynamic, asBase64), damage));

function assertMessage(error: unknown): void {
  assert.ok(error instanceof Error && error.message.length > 0, `no message: ${error}`);
}

describe('network JSON, fuzzed', () => {
  it('parseBuildRequest and engine.validate refuse with a message or accept, and what they accept builds', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (json) => {
        let network: NetworkSpec;
        let options;
        try {
          ({ network, options } = await parseBuildRequest(json));
        } catch (error) {
          assert.ok(error instanceof ValidationError, `not a ValidationError: ${(error as Error)?.stack}`);
          return assertMessage(error);
        }
        const buildOptions = { ...options, backend: 'cpu' as const };
        try {
          engine.validate(network, buildOptions);
        } catch (error) {
          assert.ok(isCallerError(error), `not a caller error: ${(error as Error)?.stack}`);
          return assertMessage(error);
        }
        const { plan } = await engine.build(network, buildOptions);
        assert.ok(plan.length > 0);
      }),
      fuzzParameters(150),
    );
  });

  describe('through the API', () => {
    let farm: TestFarm;
    farmForSuite((f) => (farm = f));

    it('answers POST /v1/builds 2xx, or 4xx with a message, never 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(requests, async (json) => {
          const answer = await farm.app.inject({ method: 'POST', url: '/v1/builds', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(json) ?? '' });
          assert.ok(answer.statusCode < 500, `${answer.statusCode} ${answer.body}`);
          if (answer.statusCode >= 400) assert.ok(typeof answer.json().message === 'string' && answer.json().message.length > 0, answer.body);
          else assert.match(answer.json().id, /^[0-9a-f]{64}$/);
        }),
        fuzzParameters(60),
      );
    });
  });
});
