// Property-based: ONNX models — random graphs of supported and unsupported operators over random
// initializers, exported MLPs, and both with their bytes damaged — never get anything but a clear
// answer. Through onnxToNetwork and engine.validate: an OnnxImportError (400 or 413) or a caller's
// engine error, each with a message, or acceptance, and then the network builds. Through the API
// (base64 in JSON, or a multipart file): 2xx, or 4xx with a message; never a 5xx.
// Run counts: test/helpers/fuzz-runs.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { engine, isCallerError } from '../../shared/engine/addon.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { onnxToNetwork } from '../../shared/onnx/import.js';
import { OnnxImportError } from '../../shared/onnx/onnx-import-error.js';
import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';
import { fuzzParameters } from '../helpers/fuzz-runs.js';
import { floatTensor, int64Tensor, mlpOnnx, node, onnxModel, randomMlp, type Attribute, type Dim, type FloatEncoding } from '../helpers/onnx-model.js';

const OPS = ['Gemm', 'MatMul', 'Add', 'Mul', 'Sub', 'Relu', 'Sigmoid', 'Tanh', 'Gelu', 'LeakyRelu', 'Flatten', 'Reshape', 'Constant', 'Identity', 'Conv', 'Softmax'];

const attribute: fc.Arbitrary<[string, Attribute]> = fc.oneof(
  fc.tuple(fc.constantFrom('transA', 'transB', 'axis', 'allowzero'), fc.integer({ min: -3, max: 3 }).map((i): Attribute => ({ i }))),
  fc.tuple(fc.constantFrom('alpha', 'beta'), fc.double({ min: -4, max: 4, noNaN: true }).map((f): Attribute => ({ f }))),
  fc.tuple(fc.constant('approximate'), fc.constantFrom('none', 'tanh').map((s): Attribute => ({ s }))),
  fc.tuple(fc.constant('value'), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 6 }).map((v): Attribute => ({ t: floatTensor('', [v.length], v) }))),
  fc.tuple(fc.constant('value_ints'), fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 4 }).map((ints): Attribute => ({ ints }))),
);

const dim: fc.Arbitrary<Dim> = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom<Dim>('N', null, 0));

const initializer = fc.oneof(
  fc.record({
    dims: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
    extra: fc.integer({ min: -1, max: 1 }), // a value too few or too many, sometimes
    encoding: fc.constantFrom<FloatEncoding>('float', 'raw', 'float16', 'float16-raw'),
  }).map(({ dims, extra, encoding }) => (name: string) => {
    const count = Math.max(0, dims.reduce((a, b) => a * b, 1) + (extra === 1 ? 1 : 0));
    return floatTensor(name, dims, Array.from({ length: count }, (_, i) => Math.sin(i + 1)), encoding);
  }),
  fc.array(fc.integer({ min: -1, max: 6 }), { minLength: 1, maxLength: 4 }).map((values) => (name: string) => int64Tensor(name, values)),
);

// Names are drawn by index from what exists so far (input, initializers, earlier outputs) plus
// one that does not.
const randomGraph = fc
  .record({
    input: fc.array(dim, { minLength: 1, maxLength: 4 }),
    initializers: fc.array(initializer, { maxLength: 4 }),
    nodes: fc.array(
      fc.record({
        op: fc.constantFrom(...OPS),
        inputs: fc.array(fc.nat(), { minLength: 0, maxLength: 3 }),
        attributes: fc.array(attribute, { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    outputs: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
  })
  .map(({ input, initializers, nodes, outputs }) => {
    const names = ['x', ...initializers.map((_, i) => `w${i}`), 'nowhere'];
    const built = nodes.map((n, i) => {
      const made = node(n.op, n.inputs.map((k) => names[k % names.length]), [`n${i}`], Object.fromEntries(n.attributes));
      names.splice(names.length - 1, 0, `n${i}`);
      return made;
    });
    return onnxModel({
      inputs: [{ name: 'x', shape: input }],
      outputs: [...new Set(outputs.map((k, i) => (i === 0 ? `n${nodes.length - 1}` : names[k % names.length])))],
      initializers: initializers.map((make, i) => make(`w${i}`)),
      nodes: built,
    });
  });

const exportedMlp = fc
  .record({ input: fc.integer({ min: 1, max: 8 }), widths: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }), activation: fc.constantFrom(undefined, 'relu', 'tanh', 'gelu', 'leakyRelu' as const) })
  .map(({ input, widths, activation }) => mlpOnnx(randomMlp(input, widths, activation)));

// Bytes flipped, cut short or dropped.
const damaged = (model: fc.Arbitrary<Uint8Array>) =>
  fc.tuple(model, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'drop')), { minLength: 1, maxLength: 3 })).map(([bytes, edits]) => {
    let out = Uint8Array.from(bytes);
    for (const [at, value, kind] of edits) {
      const i = at % Math.max(out.length, 1);
      if (kind === 'set') out[i] = value;
      else if (kind === 'cut') out = out.slice(0, i);
      else out = Uint8Array.from([...out.slice(0, i), ...out.slice(i + 1)]);
    }
    return out;
  });

const models = fc.oneof(randomGraph, exportedMlp, damaged(randomGraph), damaged(exportedMlp));

function assertMessage(error: unknown): void {
  assert.ok(error instanceof Error && error.message.length > 0, `no message: ${error}`);
}

function upload(farm: TestFarm, bytes: Uint8Array) {
  const form = new FormData();
  form.append('model', new Blob([Buffer.from(bytes)]), 'model.onnx');
  form.append('options', new Blob([JSON.stringify({ backend: 'cpu' })], { type: 'application/json' }), 'options.json');
  const encoded = new Response(form);
  return encoded.arrayBuffer().then((body) =>
    farm.app.inject({ method: 'POST', url: '/v1/builds', payload: Buffer.from(body), headers: { 'content-type': encoded.headers.get('content-type')! } }),
  );
}

describe('ONNX import, fuzzed', () => {
  it('onnxToNetwork and engine.validate refuse with a message or accept, and what they accept builds', async () => {
    await fc.assert(
      fc.asyncProperty(models, async (bytes) => {
        let network: NetworkSpec;
        try {
          network = onnxToNetwork(bytes);
        } catch (error) {
          assert.ok(error instanceof OnnxImportError, `not an OnnxImportError: ${(error as Error)?.stack}`);
          return assertMessage(error);
        }
        const dynamic = network.inputs.find((input) => input.shape[0] === -1);
        const profile = dynamic && { [dynamic.name]: { min: [1, ...dynamic.shape.slice(1)], opt: [2, ...dynamic.shape.slice(1)], max: [4, ...dynamic.shape.slice(1)] } };
        const options = { precision: 'fp32' as const, backend: 'cpu' as const, ...(profile ? { profile } : {}) };
        try {
          engine.validate(network, options);
        } catch (error) {
          assert.ok(isCallerError(error), `not a caller error: ${(error as Error)?.stack}`);
          return assertMessage(error);
        }
        const { plan } = await engine.build(network, options);
        assert.ok(plan.length > 0);
      }),
      fuzzParameters(300),
    );
  });

  describe('through the API', () => {
    let farm: TestFarm;
    farmForSuite((f) => (farm = f));

    it('answers POST /v1/builds with an ONNX model (base64 JSON or a multipart file) 2xx, or 4xx with a message, never 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(models, fc.boolean(), async (bytes, asFile) => {
          const answer = asFile ? await upload(farm, bytes) : await farm.post('/v1/builds', { onnx: Buffer.from(bytes).toString('base64'), backend: 'cpu' });
          assert.ok(answer.statusCode < 500, `${answer.statusCode} ${answer.body}`);
          if (answer.statusCode >= 400) assert.ok(typeof answer.json().message === 'string' && answer.json().message.length > 0, answer.body);
          else assert.match(answer.json().id, /^[0-9a-f]{64}$/);
        }),
        fuzzParameters(60),
      );
    });
  });
});
