// multipart/form-data on POST /v1/builds and /v1/sweeps: the model as a file (ONNX as it is, or
// the network JSON) and the options as JSON give the same ids as the JSON bodies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mlpOnnx, randomMlp } from '../helpers/onnx-model.js';
import { networkJson, precisionTrap } from '../helpers/precision-trap.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

async function multipart(parts: Record<string, Uint8Array | string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    form.append(name, typeof value === 'string' ? new Blob([value], { type: 'application/json' }) : new Blob([Buffer.from(value)]), `${name}.bin`);
  }
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

const BODY_LIMIT = 256 * 1024;

describe('uploads as files (multipart/form-data)', () => {
  let farm: TestFarm;
  // A small body limit, so that an upload over it is cheap to send.
  farmForSuite((started) => (farm = started), { env: { TRTFARM_BODY_LIMIT_BYTES: String(BODY_LIMIT) } });

  const upload = async (url: string, parts: Record<string, Uint8Array | string>) => farm.app.inject({ method: 'POST', url, ...(await multipart(parts)) });

  it('gives an ONNX file the id of the same model as base64 JSON, and builds it', async () => {
    const onnx = mlpOnnx(randomMlp(6, [5, 3], 'relu', 2));
    const options = { precision: 'fp16', backend: 'cpu', name: 'uploaded' };
    const asFile = await upload('/v1/builds', { model: onnx, options: JSON.stringify(options) });
    assert.equal(asFile.statusCode, 202, asFile.body);
    const asJson = await farm.post('/v1/builds', { onnx: Buffer.from(onnx).toString('base64'), ...options, name: 'other-name' });
    assert.equal(asJson.json().id, asFile.json().id);
    const built = await farm.waitForBuild(asFile.json().id);
    assert.equal(built.plan.precision, 'fp16');
  });

  it('gives a network JSON file the id of the JSON body, for builds and sweeps', async () => {
    const network = networkJson(precisionTrap());
    const options = { precision: 'tf32', profile: { x: { min: [1, 60], opt: [2, 60], max: [3, 60] } }, backend: 'cpu', report: false };
    const asFile = await upload('/v1/builds', { model: JSON.stringify(network), options: JSON.stringify(options) });
    assert.equal(asFile.statusCode, 202, asFile.body);
    assert.equal((await farm.post('/v1/builds', { network, ...options })).json().id, asFile.json().id);

    const sweep = { precisions: ['fp32', 'bf16'], profiles: [options.profile], backends: ['cpu'], report: false };
    const sweepFile = await upload('/v1/sweeps', { model: JSON.stringify(network), options: JSON.stringify(sweep) });
    assert.equal(sweepFile.statusCode, 202, sweepFile.body);
    const sweepJson = await farm.post('/v1/sweeps', { network, ...sweep });
    assert.equal(sweepJson.json().id, sweepFile.json().id);
    assert.deepEqual(sweepJson.json().builds, sweepFile.json().builds);
  });

  it('refuses a missing model, bad options and an unknown part with a 400, queueing nothing', async () => {
    const jobs = await farm.jobCount();
    const network = JSON.stringify(networkJson(precisionTrap()));
    const noModel = await upload('/v1/builds', { options: '{}' });
    assert.equal(noModel.statusCode, 400, noModel.body);
    assert.match(noModel.json().message, /part "model"/);
    const badOptions = await upload('/v1/builds', { model: network, options: '{"precision":"fp64"}' });
    assert.equal(badOptions.statusCode, 400, badOptions.body);
    assert.match(badOptions.json().message, /options.precision/);
    const notJson = await upload('/v1/builds', { model: network, options: '{precision' });
    assert.equal(notJson.statusCode, 400, notJson.body);
    const extra = await upload('/v1/builds', { model: network, weights: 'x' });
    assert.equal(extra.statusCode, 400, extra.body);
    const badModel = await upload('/v1/builds', { model: '{"inputs": []}' });
    assert.equal(badModel.statusCode, 400, badModel.body);
    const notOnnx = await upload('/v1/builds', { model: new Uint8Array([1, 2, 3, 4]) });
    assert.equal(notOnnx.statusCode, 400, notOnnx.body);
    assert.equal(await farm.jobCount(), jobs);
  });

  it('answers 413 for a model file over the body limit', async () => {
    const jobs = await farm.jobCount();
    const large = await upload('/v1/builds', { model: new Uint8Array(BODY_LIMIT + 1024).fill(1), options: '{}' });
    assert.equal(large.statusCode, 413, large.body);
    assert.equal(await farm.jobCount(), jobs);
  });
});
