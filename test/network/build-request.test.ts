import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequestId, parseBuildRequest } from '../../shared/network/build-request.js';
import { ValidationError } from '../../shared/network/validation-error.js';
import { OnnxImportError } from '../../shared/onnx/onnx-import-error.js';
import { mlpNetwork, mlpOnnx, randomMlp } from '../helpers/onnx-model.js';
import { float32Base64, seedFullyConnectedJson, seedMatrixMultiplyJson, seedWeights } from './seed-networks.js';

type Json = Record<string, any>;
const idOf = async (json: unknown) => buildRequestId(await parseBuildRequest(json));

async function rejection(json: unknown): Promise<ValidationError> {
  try {
    await parseBuildRequest(json);
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    return error;
  }
  assert.fail('the request was accepted');
}

describe('build request', () => {
  it('applies the defaults: fp32, backend auto, no profile', async () => {
    const { options } = await parseBuildRequest({ network: seedFullyConnectedJson() });
    assert.deepEqual(options, { precision: 'fp32', backend: 'auto' });
  });

  it('gives the array and base64 forms, any key order and explicit defaults the same 64-hex id', async () => {
    const id = await idOf({ network: seedFullyConnectedJson() });
    assert.match(id, /^[0-9a-f]{64}$/);
    const base64Form = seedFullyConnectedJson() as Json;
    base64Form.layers[0].weights = { base64: float32Base64(seedWeights) };
    base64Form.layers[0].bias = { base64: float32Base64([0, 0]) };
    const reordered = { backend: 'auto', precision: 'fp32', network: { outputs: base64Form.outputs, layers: base64Form.layers, inputs: base64Form.inputs } };
    assert.equal(await idOf(reordered), id);
  });

  it('keeps tensorrt options only where they differ from the defaults, so spelling defaults out keeps the id', async () => {
    const plain = { network: seedFullyConnectedJson(), backend: 'tensorrt' };
    assert.equal(await idOf({ ...plain, tensorrt: {} }), await idOf(plain));
    assert.equal(await idOf({ ...plain, tensorrt: { versionCompatible: false, hardwareCompatibility: 'none' } }), await idOf(plain));
    const portable = await parseBuildRequest({ ...plain, tensorrt: { versionCompatible: true, hardwareCompatibility: 'ampere+' } });
    assert.deepEqual(portable.options.tensorrt, { versionCompatible: true, hardwareCompatibility: 'ampere+' });
    assert.notEqual(buildRequestId(portable), await idOf(plain));
    await assert.rejects(parseBuildRequest({ ...plain, tensorrt: { hardwareCompatibility: 'hopper+' } }), /ampere\+/);
    await assert.rejects(parseBuildRequest({ network: seedFullyConnectedJson(), tensorrt: {} }), /tensorrt options need "backend": "tensorrt"/);
  });

  it('gives a different id when one weight, the precision, the backend or the profile differs', async () => {
    const id = await idOf({ network: seedFullyConnectedJson() });
    const oneWeight = seedFullyConnectedJson() as Json;
    oneWeight.layers[0].weights[59] = 0.5;
    assert.notEqual(await idOf({ network: oneWeight }), id);
    assert.notEqual(await idOf({ network: seedFullyConnectedJson(), precision: 'fp16' }), id);
    assert.notEqual(await idOf({ network: seedFullyConnectedJson(), backend: 'cpu' }), id);
    const dynamic = seedFullyConnectedJson() as Json;
    dynamic.inputs[0].shape = [-1, 3, 4, 5];
    const profile = (max: number) => ({ x: { min: [1, 3, 4, 5], opt: [2, 3, 4, 5], max: [max, 3, 4, 5] } });
    assert.notEqual(await idOf({ network: dynamic, profile: profile(8) }), await idOf({ network: dynamic, profile: profile(16) }));
    assert.notEqual(await idOf({ network: seedMatrixMultiplyJson() }), id);
  });

  it('converts an onnx model to the same network, and id, as its JSON form', async () => {
    const mlp = randomMlp(6, [5, 3], 'relu');
    const fromOnnx = await parseBuildRequest({ onnx: Buffer.from(mlpOnnx(mlp)).toString('base64') });
    assert.deepEqual(fromOnnx.network, mlpNetwork(mlp));
    assert.equal(buildRequestId(fromOnnx), buildRequestId({ network: mlpNetwork(mlp), options: { precision: 'fp32', backend: 'auto' } }));
  });

  it('rejects a request with both network and onnx, or neither', async () => {
    const onnx = Buffer.from(mlpOnnx(randomMlp(2, [2]))).toString('base64');
    assert.match((await rejection({ network: seedFullyConnectedJson(), onnx })).message, /give exactly one of "network" or "onnx"/);
    assert.match((await rejection({ precision: 'fp16' })).message, /give exactly one of "network" or "onnx"/);
  });

  it('names the place of a problem inside the network', async () => {
    const json = seedFullyConnectedJson() as Json;
    json.layers[0].weights[2] = 'x';
    assert.match((await rejection({ network: json })).message, /^network\.layers\[0\] \("fc"\)\.weights\[2\]: /);
    json.layers[0].weights[2] = 1;
    json.layers[0].bias = { base64: 'AA' };
    assert.match((await rejection({ network: json })).message, /^network\.layers\[0\] \("fc"\)\.bias: /);
  });

  it('rejects unknown precisions and backends, naming the allowed ones', async () => {
    assert.match((await rejection({ network: seedFullyConnectedJson(), precision: 'int8' })).message, /^precision: .*"fp32".*"bf16"/);
    assert.match((await rejection({ network: seedFullyConnectedJson(), backend: 'rocm' })).message, /^backend: .*"auto".*"cpu"/);
  });

  it('rejects a profile whose min, opt and max are out of order or of different ranks', async () => {
    const network = seedFullyConnectedJson();
    const bad = async (range: object) => (await rejection({ network, profile: { x: range } })).message;
    assert.match(await bad({ min: [4, 3, 4, 5], opt: [2, 3, 4, 5], max: [8, 3, 4, 5] }), /^profile\.x: each dimension needs min ≤ opt ≤ max/);
    assert.match(await bad({ min: [1, 3, 4, 5], opt: [2, 3, 4, 5], max: [8, 60] }), /^profile\.x: min, opt and max must have the same number/);
    assert.match(await bad({ min: [0, 3, 4, 5], opt: [2, 3, 4, 5], max: [8, 3, 4, 5] }), /^profile\.x\.min\[0\]: /);
  });

  it('answers an onnx field that is not a model with an OnnxImportError (400)', async () => {
    const notBase64 = await rejection({ onnx: 'not base64!' });
    assert.equal(notBase64.kind, 'invalid');
    assert.match(notBase64.message, /^onnx: not valid base64/);
    const notAModel = await rejection({ onnx: Buffer.from('hello, world').toString('base64') });
    assert.ok(notAModel instanceof OnnxImportError);
    assert.equal(notAModel.kind, 'invalid');
    assert.match(notAModel.message, /^ONNX: not a valid ONNX model/);
  });
});
