// The ONNX importer holds the same limits as the network JSON (shared/network/limits.ts), and
// checks them while it converts, before doing the work they bound: a model over one is refused
// 413 with a message naming the limit, however many nodes it has.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_DIMS, MAX_IO_TENSORS, MAX_LAYERS, MAX_NAME_LENGTH, MAX_TENSOR_ELEMENTS } from '../../shared/network/limits.js';
import { onnxToNetwork } from '../../shared/onnx/import.js';
import { OnnxImportError } from '../../shared/onnx/onnx-import-error.js';
import { floatTensor, node, onnxModel } from '../helpers/onnx-model.js';
import { addChainOnnx } from './add-chain.js';

function refusal(bytes: Uint8Array): OnnxImportError {
  try {
    onnxToNetwork(bytes);
  } catch (error) {
    assert.ok(error instanceof OnnxImportError, `expected an OnnxImportError, got ${error}`);
    return error;
  }
  assert.fail('the model was imported');
}

describe('ONNX import limits', () => {
  it(`accepts ${MAX_LAYERS} layers and answers 413 to one more`, () => {
    // Each Add writes its initializer as a constant layer and itself as an elementWise layer.
    assert.equal(onnxToNetwork(addChainOnnx(MAX_LAYERS / 2)).layers.length, MAX_LAYERS);
    const error = refusal(addChainOnnx(MAX_LAYERS / 2 + 1));
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, new RegExp(`more than ${MAX_LAYERS} layers, the limit`));
  });

  it('refuses 20 000 Add nodes, each with its own initializer, in well under a second', () => {
    const bytes = addChainOnnx(20_000);
    const started = performance.now();
    const error = refusal(bytes);
    const ms = performance.now() - started;
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, /layers, the limit/);
    // Not a speed test: before the fix this took over a minute (a linear search per constant).
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
  });

  it(`answers 413 to an output name of 1 MiB (names are at most ${MAX_NAME_LENGTH} characters)`, () => {
    const long = 'y'.repeat(1 << 20);
    const error = refusal(onnxModel({
      inputs: [{ name: 'x', shape: [1, 2] }],
      outputs: [long],
      initializers: [floatTensor('W', [2, 2], [1, 2, 3, 4])],
      nodes: [node('MatMul', ['x', 'W'], [long], {}, 'mm')],
    }));
    assert.equal(error.kind, 'over-limit');
    assert.match(error.message, new RegExp(`name of ${1 << 20} characters, over the limit of ${MAX_NAME_LENGTH}`));
    assert.ok(error.message.length < 1000, 'the message does not repeat the name');
  });

  it('answers 413 to a graph input name and an initializer name over the limit', () => {
    const long = 'n'.repeat(MAX_NAME_LENGTH + 1);
    for (const [input, weight] of [[long, 'W'], ['x', long]]) {
      const error = refusal(onnxModel({
        inputs: [{ name: input, shape: [1, 2] }],
        outputs: ['y'],
        initializers: [floatTensor(weight, [2, 2], [1, 2, 3, 4])],
        nodes: [node('MatMul', [input, weight], ['y'])],
      }));
      assert.equal(error.kind, 'over-limit', error.message);
      assert.match(error.message, /over the limit of 256/);
    }
  });

  it(`answers 413 to more than ${MAX_IO_TENSORS} graph inputs or outputs`, () => {
    const names = Array.from({ length: MAX_IO_TENSORS + 1 }, (_, i) => `x${i}`);
    const inputs = refusal(onnxModel({
      inputs: names.map((name) => ({ name, shape: [1, 2] })),
      outputs: ['y'],
      nodes: [node('Relu', ['x0'], ['y'])],
    }));
    assert.equal(inputs.kind, 'over-limit');
    assert.match(inputs.message, new RegExp(`${MAX_IO_TENSORS + 1} graph inputs, over the limit of ${MAX_IO_TENSORS}`));
    const outputs = refusal(onnxModel({
      inputs: [{ name: 'x', shape: [1, 2] }],
      outputs: names,
      nodes: names.map((name) => node('Relu', ['x'], [name])),
    }));
    assert.equal(outputs.kind, 'over-limit');
    assert.match(outputs.message, new RegExp(`${MAX_IO_TENSORS + 1} graph outputs, over the limit of ${MAX_IO_TENSORS}`));
  });

  it(`answers 413 to an initializer or a graph input of more than ${MAX_DIMS} dimensions or ${MAX_TENSOR_ELEMENTS} elements, before reading its data`, () => {
    const dims = Array(MAX_DIMS + 1).fill(1);
    const graph = (input: number[], weight: number[]) => onnxModel({
      inputs: [{ name: 'x', shape: input }],
      outputs: ['y'],
      // A weight over a limit has no data: its shape alone decides.
      initializers: [weight.length <= MAX_DIMS && weight[0] <= 4096 ? floatTensor('W', weight, Array(weight[0] * weight[1]).fill(1)) : { ...floatTensor('W', weight, []), dims: weight }],
      nodes: [node('MatMul', ['x', 'W'], ['y'])],
    });
    const cases: [number[], number[], RegExp][] = [
      [[1, 2], dims, new RegExp(`initializer "W": ${MAX_DIMS + 1} dimensions, over the limit of ${MAX_DIMS}`)],
      [[1, 2], [4097, 4096], new RegExp(`initializer "W": shape \\[4097,4096\\] has ${4097 * 4096} elements, over the limit of ${MAX_TENSOR_ELEMENTS}`)],
      [dims, [1, 1], new RegExp(`graph input "x": ${MAX_DIMS + 1} dimensions, over the limit of ${MAX_DIMS}`)],
      [[1, 4097, 4096], [4096, 1], new RegExp(`graph input "x": more than ${MAX_TENSOR_ELEMENTS} elements per batch item`)],
    ];
    for (const [input, weight, message] of cases) {
      const error = refusal(graph(input, weight));
      assert.equal(error.kind, 'over-limit', error.message);
      assert.match(error.message, message);
    }
  });
});
