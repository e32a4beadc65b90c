// The seed's JSON, parsed by the schema (numbers and base64) and run by the engine: [1770, -1770].
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engine } from '../../shared/engine/addon.js';
import { parseBuildRequest } from '../../shared/network/build-request.js';
import { float32Base64, seedFullyConnectedJson, seedMatrixMultiplyJson, seedWeights } from './seed-networks.js';

type Json = Record<string, any>;

async function runSeed(network: unknown): Promise<{ shape: number[]; values: number[] }> {
  const request = await parseBuildRequest({ network, backend: 'cpu' });
  const { plan } = await engine.build(request.network, { ...request.options, backend: 'cpu' });
  const loaded = await engine.loadEngine(plan);
  try {
    const x = Float32Array.from({ length: 60 }, (_, i) => i);
    const outputs = await loaded.infer({ x: { shape: [1, 3, 4, 5], data: x } });
    const [result] = Object.values(outputs);
    return { shape: result.shape, values: Array.from(result.data) };
  } finally {
    loaded.dispose();
  }
}

describe('the seed from JSON through the engine', () => {
  it('gives (1,2,1,1) [1770, -1770] for the fullyConnected form, with weights as numbers', async () => {
    assert.deepEqual(await runSeed(seedFullyConnectedJson()), { shape: [1, 2, 1, 1], values: [1770, -1770] });
  });

  it('gives the same for the fullyConnected form with base64 weights', async () => {
    const json = seedFullyConnectedJson() as Json;
    json.layers[0].weights = { base64: float32Base64(seedWeights) };
    assert.deepEqual(await runSeed(json), { shape: [1, 2, 1, 1], values: [1770, -1770] });
  });

  it('gives (1,2) [1770, -1770] for the reshape → matrixMultiply → elementWise form', async () => {
    assert.deepEqual(await runSeed(seedMatrixMultiplyJson()), { shape: [1, 2], values: [1770, -1770] });
  });
});
