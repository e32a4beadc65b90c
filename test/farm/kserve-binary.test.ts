// KServe v2 as Triton's clients speak it, with requests built byte for byte from the protocol's
// binary tensor data extension (a JSON header of Inference-Header-Content-Length bytes, then the
// raw little-endian tensor bytes), not with trtfarm's own code: binary in and out, versioned
// routes, no Content-Type, FP16 in and out, nested JSON data, { error } bodies, /stats counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { seedFullyConnected, seedInput } from './seed.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

// fp16 bit patterns written out by hand (IEEE 754 binary16), for the values the seed uses.
function halfBits(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  const exponent = Math.floor(Math.log2(magnitude));
  const fraction = Math.round((magnitude / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}

function binaryRequest(header: object, ...tensors: Buffer[]): { body: Buffer; headerLength: number } {
  const json = Buffer.from(JSON.stringify(header));
  return { body: Buffer.concat([json, ...tensors]), headerLength: json.length };
}

function float32Bytes(values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes;
}

// The answer's header and its binary outputs, split by the answer's Inference-Header-Content-Length.
function splitAnswer(raw: Buffer, headerLength: string | string[] | number | undefined) {
  const length = Number(headerLength);
  const header = JSON.parse(raw.subarray(0, length).toString('utf8'));
  let offset = length;
  const binaries: Buffer[] = [];
  for (const output of header.outputs) {
    const size = output.parameters?.binary_data_size;
    if (size === undefined) continue;
    binaries.push(raw.subarray(offset, offset + size));
    offset += size;
  }
  assert.equal(offset, raw.length, 'the body is the header and the binary outputs, nothing else');
  return { header, binaries };
}

describe('KServe v2 binary tensor data, versions, datatypes', () => {
  let farm: TestFarm;
  let plan: string;
  let dynamicPlan: string;
  farmForSuite((started) => (farm = started));

  it('builds the seed and a dynamic-batch seed', async () => {
    plan = (await farm.build(seedFullyConnected)).plan.id;
    const dynamic = { ...seedFullyConnected, network: { ...seedFullyConnected.network, inputs: [{ name: 'x', shape: [-1, 3, 4, 5] }] } };
    dynamicPlan = (await farm.build({ ...dynamic, profile: { x: { min: [1, 3, 4, 5], opt: [2, 3, 4, 5], max: [4, 3, 4, 5] } } })).plan.id;
  });

  it('lists binary_tensor_data among the extensions of GET /v2', async () => {
    assert.ok((await farm.get('/v2')).json().extensions.includes('binary_tensor_data'));
  });

  it('runs a binary FP32 request with no Content-Type at all, binary outputs asked on the request', async () => {
    const { body, headerLength } = binaryRequest(
      { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', parameters: { binary_data_size: 240 } }], parameters: { binary_data_output: true } },
      float32Bytes(seedInput.data),
    );
    const answer = await farm.app.inject({
      method: 'POST',
      url: `/v2/models/${plan}/versions/1/infer`,
      headers: { 'inference-header-content-length': String(headerLength) },
      payload: body,
    });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.headers['content-type'], 'application/octet-stream');
    const { header, binaries } = splitAnswer(answer.rawPayload, answer.headers['inference-header-content-length']);
    assert.deepEqual(header, {
      model_name: plan,
      model_version: '1',
      outputs: [{ name: 'fc', datatype: 'FP32', shape: [1, 2, 1, 1], parameters: { binary_data_size: 8 } }],
    });
    assert.deepEqual([binaries[0].readFloatLE(0), binaries[0].readFloatLE(4)], [1770, -1770]);
  });

  it('takes application/octet-stream and application/json bodies alike, and a JSON answer when no output is asked binary', async () => {
    const { body, headerLength } = binaryRequest(
      { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', parameters: { binary_data_size: 240 } }], outputs: [{ name: 'fc' }] },
      float32Bytes(seedInput.data),
    );
    for (const contentType of ['application/octet-stream', 'application/json']) {
      const answer = await farm.app.inject({
        method: 'POST',
        url: `/v2/models/${plan}/infer`,
        headers: { 'content-type': contentType, 'inference-header-content-length': String(headerLength) },
        payload: body,
      });
      assert.equal(answer.statusCode, 200, `${contentType}: ${answer.body}`);
      assert.equal(answer.headers['inference-header-content-length'], undefined);
      assert.deepEqual(answer.json().outputs, [{ name: 'fc', datatype: 'FP32', shape: [1, 2, 1, 1], data: [1770, -1770] }]);
    }
    const json = await farm.app.inject({
      method: 'POST',
      url: `/v2/models/${plan}/infer`,
      payload: JSON.stringify({ inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: seedInput.data }] }),
    });
    assert.equal(json.statusCode, 200, json.body);
    assert.deepEqual(json.json().outputs[0].data, [1770, -1770]);
  });

  it('takes FP16 input bytes and answers FP16 bytes, per-output binary_data', async () => {
    const halves = Buffer.alloc(120);
    seedInput.data.forEach((v, i) => halves.writeUInt16LE(halfBits(v), i * 2));
    const { body, headerLength } = binaryRequest(
      { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP16', parameters: { binary_data_size: 120 } }], outputs: [{ name: 'fc', parameters: { binary_data: true } }] },
      halves,
    );
    const answer = await farm.app.inject({
      method: 'POST',
      url: `/v2/models/${plan}/infer`,
      headers: { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(headerLength) },
      payload: body,
    });
    assert.equal(answer.statusCode, 200, answer.body);
    const { header, binaries } = splitAnswer(answer.rawPayload, answer.headers['inference-header-content-length']);
    assert.deepEqual(header.outputs, [{ name: 'fc', datatype: 'FP16', shape: [1, 2, 1, 1], parameters: { binary_data_size: 4 } }]);
    assert.deepEqual([binaries[0].readUInt16LE(0), binaries[0].readUInt16LE(2)], [halfBits(1770), halfBits(-1770)]);
  });

  it('takes nested JSON data (a batch of 2) and answers FP16 as JSON numbers', async () => {
    const rows = [seedInput.data, seedInput.data.map((v) => -v)];
    const nested = rows.map((row) => [0, 1, 2].map((c) => [0, 1, 2, 3].map((h) => row.slice(c * 20 + h * 5, c * 20 + h * 5 + 5))));
    const answer = await farm.post(`/v2/models/${dynamicPlan}/infer`, { inputs: [{ name: 'x', shape: [2, 3, 4, 5], datatype: 'FP16', data: nested }] });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json().outputs, [{ name: 'fc', datatype: 'FP16', shape: [2, 2, 1, 1], data: [1770, -1770, -1770, 1770] }]);
  });

  it('answers every /v2 error as { error } with its status: unknown model, version, route; bad binary sizes; bad header length', async () => {
    const { body, headerLength } = binaryRequest(
      { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', parameters: { binary_data_size: 240 } }] },
      float32Bytes(seedInput.data).subarray(0, 200),
    );
    const cases: [string, () => Promise<{ statusCode: number; json: () => { error: string } }>, number, RegExp][] = [
      ['unknown model', () => farm.get(`/v2/models/${'ab'.repeat(32)}/versions/1`), 404, /^no model \(plan\) /],
      ['unknown version', () => farm.get(`/v2/models/${plan}/versions/2/ready`), 404, /has no version 2/],
      ['unknown route', () => farm.get(`/v2/models/${plan}/nothing`), 404, /^no route GET/],
      ['binary data shorter than binary_data_size', () => farm.app.inject({ method: 'POST', url: `/v2/models/${plan}/infer`, headers: { 'inference-header-content-length': String(headerLength) }, payload: body }), 400, /binary_data_size: 240 bytes, but only 200 bytes/],
      ['a header length past the body', () => farm.app.inject({ method: 'POST', url: `/v2/models/${plan}/infer`, headers: { 'inference-header-content-length': '99999' }, payload: body }), 400, /Inference-Header-Content-Length/],
      ['a string in nested data', () => farm.post(`/v2/models/${plan}/infer`, { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: [[1, 2, 3, 'x'], ...Array(56).fill([0])] }] }), 400, /data: element 3 \(flattened\) is "x", not a number/],
      ['not JSON', () => farm.app.inject({ method: 'POST', url: `/v2/models/${plan}/infer`, payload: 'not json' }), 400, /^body: not a JSON inference request/],
    ];
    for (const [name, send, status, message] of cases) {
      const answer = await send();
      assert.equal(answer.statusCode, status, `${name}: ${JSON.stringify(answer.json())}`);
      assert.deepEqual(Object.keys(answer.json()), ['error'], name);
      assert.match(answer.json().error, message, name);
    }
  });

  it('counts inferences in /stats: successes, rejected failures, rows, executions, queue and compute time', async () => {
    const stats = async () => (await farm.get(`/v2/models/${dynamicPlan}/versions/1/stats`)).json().model_stats[0];
    const before = await stats();
    const good = { inputs: [{ name: 'x', shape: [3, 3, 4, 5], datatype: 'FP32', data: [...seedInput.data, ...seedInput.data, ...seedInput.data] }] };
    for (let i = 0; i < 3; i++) assert.equal((await farm.post(`/v2/models/${dynamicPlan}/infer`, good)).statusCode, 200);
    const bad = { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: [1] }] };
    assert.equal((await farm.post(`/v2/models/${dynamicPlan}/infer`, bad)).statusCode, 400);
    const after = await stats();
    assert.equal(after.name, dynamicPlan);
    assert.equal(after.version, '1');
    assert.equal(after.inference_stats.success.count - before.inference_stats.success.count, 3);
    assert.equal(after.inference_stats.fail.count - before.inference_stats.fail.count, 1);
    assert.equal(after.inference_count - before.inference_count, 9, 'rows, 3 per request');
    assert.equal(after.execution_count - before.execution_count, 3, 'one engine call each (sent one after the other)');
    assert.equal(after.inference_stats.compute_infer.count - before.inference_stats.compute_infer.count, 3);
    assert.ok(after.inference_stats.compute_infer.ns > before.inference_stats.compute_infer.ns);
    assert.ok(after.inference_stats.queue.ns > before.inference_stats.queue.ns);
    assert.ok(after.inference_stats.success.ns >= after.inference_stats.compute_infer.ns + after.inference_stats.queue.ns - 1);
    assert.ok(after.batch_stats.some((b: { batch_size: number; compute_infer: { count: number } }) => b.batch_size === 3 && b.compute_infer.count >= 3));
    const all = (await farm.get('/v2/models/stats')).json().model_stats;
    assert.deepEqual(all.find((m: { name: string }) => m.name === dynamicPlan), after);
  });
});
