// JSON bodies of POST /v1/builds and /v1/sweeps with large base64 strings, which the API decodes
// from the body's bytes (api/builds/build-body.ts) instead of parsing them as text: the same ids
// as the same request written any other way, the same refusals, and what it leaves to JSON.parse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { extractBase64 } from '../../api/builds/build-body.js';
import { base64DecodedLength, base64Marker } from '../../shared/network/base64.js';
import { mlpOnnx, randomMlp } from '../helpers/onnx-model.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

const K = 4096;
const OUTPUTS = 8; // 32 768 weights: 174 764 characters of base64, over the 64 KiB threshold

function randomValues(count: number): Float32Array {
  return Float32Array.from({ length: count }, () => Math.random() * 2 - 1);
}

const base64 = (values: Float32Array) => ({ base64: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64') });

function network(weights: unknown, bias: unknown) {
  return { inputs: [{ name: 'x', shape: [-1, K] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: OUTPUTS, weights, bias }] };
}

const options = { precision: 'fp32', backend: 'cpu', profile: { x: { min: [1, K], opt: [2, K], max: [4, K] } }, report: false };

describe('large base64 strings in JSON build bodies', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  const post = (url: string, body: string) => farm.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json' } });

  it('finds a large base64 value in the bytes and leaves the rest as text', () => {
    const weights = randomValues(K * OUTPUTS);
    const body = Buffer.from(JSON.stringify({ network: network(base64(weights), base64(randomValues(OUTPUTS))), ...options }));
    const { text, decoded } = extractBase64(body);
    assert.equal(decoded.size, 1, 'the bias is short: left to JSON.parse');
    const [[marker, bytes]] = [...decoded];
    assert.deepEqual(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4), weights);
    assert.equal(base64DecodedLength(marker), weights.byteLength);
    assert.equal(JSON.parse(text).network.layers[0].weights.base64, marker);
    assert.ok(text.length < 1000, `${text.length} characters left`);
  });

  it('leaves strings it cannot take as they are: escaped, under another key, not valid base64', () => {
    const valid = base64(randomValues(K * OUTPUTS)).base64;
    const escaped = `{"base64":"${valid.slice(0, 100)}\\u0041${valid.slice(105)}"}`;
    const otherKey = JSON.stringify({ name: valid });
    const damaged = JSON.stringify({ base64: `${valid.slice(0, 100)}*${valid.slice(101)}` });
    const notValue = JSON.stringify(['base64', valid]);
    for (const json of [escaped, otherKey, damaged, notValue]) {
      const { text, decoded } = extractBase64(Buffer.from(json));
      assert.equal(decoded.size, 0);
      assert.equal(text, json);
    }
  });

  it('gives the same id to weights as numbers, as short base64 and as a large base64 value', async () => {
    const weights = randomValues(K * OUTPUTS);
    const bias = randomValues(OUTPUTS);
    const asNumbers = await post('/v1/builds', JSON.stringify({ network: network([...weights], [...bias]), ...options }));
    assert.equal(asNumbers.statusCode, 202, asNumbers.body);
    const asBase64 = await post('/v1/builds', JSON.stringify({ network: network(base64(weights), base64(bias)), ...options }));
    assert.equal(asBase64.json().id, asNumbers.json().id);
    const built = await farm.waitForBuild(asNumbers.json().id);
    assert.equal(built.plan.precision, 'fp32');
  });

  it('gives a sweep the ids of the same variants posted as builds', async () => {
    const json = { network: network(base64(randomValues(K * OUTPUTS)), base64(randomValues(OUTPUTS))) };
    const sweep = await post('/v1/sweeps', JSON.stringify({ ...json, precisions: ['fp32', 'fp16'], profiles: [options.profile], backends: ['cpu'], report: false }));
    assert.equal(sweep.statusCode, 202, sweep.body);
    const build = await post('/v1/builds', JSON.stringify({ ...json, ...options, precision: 'fp16' }));
    assert.equal(build.json().id, sweep.json().builds[1].id);
  });

  it('gives base64 ONNX in JSON the id of the same file uploaded as multipart', async () => {
    const onnx = mlpOnnx(randomMlp(256, [256], undefined, 2));
    const onnxOptions = { precision: 'fp16', backend: 'cpu', report: false };
    const asJson = await post('/v1/builds', JSON.stringify({ onnx: Buffer.from(onnx).toString('base64'), ...onnxOptions }));
    assert.equal(asJson.statusCode, 202, asJson.body);
    const form = new FormData();
    form.append('model', new Blob([Buffer.from(onnx)]), 'mlp.onnx');
    form.append('options', JSON.stringify(onnxOptions));
    const encoded = new Response(form);
    const asFile = await farm.app.inject({
      method: 'POST',
      url: '/v1/builds',
      payload: Buffer.from(await encoded.arrayBuffer()),
      headers: { 'content-type': encoded.headers.get('content-type')! },
    });
    assert.equal(asFile.json().id, asJson.json().id);
  });

  it('refuses a large value with a non-finite float, or damaged, with the messages of the text path, queueing nothing', async () => {
    const before = await farm.jobCount();
    const weights = randomValues(K * OUTPUTS);
    weights[5] = Number.NaN;
    const nan = await post('/v1/builds', JSON.stringify({ network: network(base64(weights), undefined), ...options }));
    assert.equal(nan.statusCode, 400, nan.body);
    assert.equal(nan.json().message, 'network.layers[0] ("fc").weights[5]: NaN is not a finite float32 value');
    const valid = base64(randomValues(K * OUTPUTS)).base64;
    const damaged = await post('/v1/builds', JSON.stringify({ network: network({ base64: `${valid.slice(0, 100)}*${valid.slice(101)}` }, undefined), ...options }));
    assert.equal(damaged.statusCode, 400, damaged.body);
    assert.match(damaged.json().message, /^network\.layers\[0\] \("fc"\)\.weights: not valid base64/);
    assert.equal(await farm.jobCount(), before);
  });

  it('refuses a marker written by the client as not valid base64', async () => {
    const forged = await post('/v1/builds', JSON.stringify({ network: network({ base64: base64Marker(0, K * OUTPUTS * 4) }, undefined), ...options }));
    assert.equal(forged.statusCode, 400, forged.body);
    assert.match(forged.json().message, /weights: not valid base64/);
  });

  it('answers malformed JSON and proto poisoning around a large value with 400, as before', async () => {
    const valid = base64(randomValues(K * OUTPUTS)).base64;
    const truncated = await post('/v1/builds', `{"network":{"layers":[{"weights":{"base64":"${valid}"}}]`);
    assert.equal(truncated.statusCode, 400, truncated.body);
    const poisoned = await post('/v1/builds', `{"__proto__":{"x":1},"network":{"layers":[{"weights":{"base64":"${valid}"}}]}}`);
    assert.equal(poisoned.statusCode, 400, poisoned.body);
  });
});
