// The ONNX importer's own checks: what it produces for the supported forms and how it refuses the rest.
// (test/onnx/onnxruntime.test.ts runs the converted networks against onnxruntime.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../shared/network/validation-error.js';
import { onnxToNetwork } from '../../shared/onnx/import.js';
import { OnnxImportError } from '../../shared/onnx/onnx-import-error.js';
import { floatTensor, int64Tensor, node, onnxModel, type GraphDescription } from '../helpers/onnx-model.js';

function importError(bytes: Uint8Array): OnnxImportError {
  try {
    onnxToNetwork(bytes);
  } catch (error) {
    assert.ok(error instanceof OnnxImportError, `expected an OnnxImportError, got ${error}`);
    assert.ok(error instanceof ValidationError);
    assert.equal(error.kind, 'invalid');
    return error;
  }
  assert.fail('the model was imported');
}

// x [N, 2] → Gemm with W [3, 2] (transB = 1) → y
function gemmGraph(overrides: Partial<GraphDescription> = {}): GraphDescription {
  return {
    inputs: [{ name: 'x', shape: ['N', 2] }],
    outputs: ['y'],
    initializers: [floatTensor('W', [3, 2], [1, 2, 3, 4, 5, 6]), floatTensor('b', [3], [0.5, -1, 2])],
    nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 } })],
    ...overrides,
  };
}

describe('ONNX import', () => {
  it('turns Gemm(transB=1) with alpha and beta into one fullyConnected with scaled weights and bias', () => {
    const network = onnxToNetwork(onnxModel(gemmGraph({
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } })],
    })));
    assert.deepEqual(network.inputs, [{ name: 'x', shape: [-1, 2] }]);
    assert.deepEqual(network.outputs, ['y']);
    assert.equal(network.layers.length, 1);
    const fc = network.layers[0];
    assert.ok(fc.type === 'fullyConnected');
    assert.deepEqual(fc.inputs, ['x']);
    assert.equal(fc.outputs, 3);
    assert.deepEqual(Array.from(fc.weights), [0.5, 1, 1.5, 2, 2.5, 3]);
    assert.deepEqual(Array.from(fc.bias!), [1, -2, 4]);
  });

  it('transposes the weights of Gemm(transB=0) into the [outputs, K] layout', () => {
    const network = onnxToNetwork(onnxModel(gemmGraph({
      initializers: [floatTensor('W', [2, 3], [1, 2, 3, 4, 5, 6]), floatTensor('b', [1, 3], [0, 0, 0])],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'])],
    })));
    const fc = network.layers[0];
    assert.ok(fc.type === 'fullyConnected');
    assert.deepEqual(Array.from(fc.weights), [1, 4, 2, 5, 3, 6]);
  });

  it('treats a graph input that is also an initializer as a constant', () => {
    const graph = gemmGraph();
    const network = onnxToNetwork(onnxModel({ ...graph, inputs: [...graph.inputs, { name: 'W', shape: [3, 2] }] }));
    assert.deepEqual(network.inputs, [{ name: 'x', shape: [-1, 2] }]);
    assert.deepEqual(network.layers.map((layer) => layer.type), ['fullyConnected']);
  });

  it('reads float16 initializers from int32_data and from raw_data exactly', () => {
    const values = [0.5, -2, 65504, 2 ** -14, -0.099975586, 1];
    for (const encoding of ['float16', 'float16-raw', 'raw'] as const) {
      const network = onnxToNetwork(onnxModel(gemmGraph({
        initializers: [floatTensor('W', [3, 2], values, encoding), floatTensor('b', [3], [0, 0, 0], encoding)],
      })));
      const fc = network.layers[0];
      assert.ok(fc.type === 'fullyConnected');
      assert.deepEqual(Array.from(fc.weights), values.map(Math.fround), encoding);
    }
  });

  it('names the op type and the node of an unsupported operator', () => {
    const error = importError(onnxModel(gemmGraph({
      outputs: ['probs'],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 } }), node('Softmax', ['y'], ['probs'], {}, 'classifier_softmax')],
    })));
    assert.match(error.message, /node "classifier_softmax" \(Softmax\): operator Softmax is not supported/);
  });

  it('treats op types named like Object members (toString, constructor) as unsupported operators', () => {
    for (const op of ['toString', 'constructor', 'hasOwnProperty']) {
      const error = importError(onnxModel(gemmGraph({
        outputs: ['z'],
        nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 } }), node(op, ['y'], ['z'], {}, 'odd')],
      })));
      assert.match(error.message, new RegExp(`node "odd" \\(${op}\\): operator ${op} is not supported`));
    }
  });

  it('refuses the tanh approximation of Gelu', () => {
    const error = importError(onnxModel(gemmGraph({
      outputs: ['g'],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 } }), node('Gelu', ['y'], ['g'], { approximate: { s: 'tanh' } })],
    })));
    assert.match(error.message, /node "g" \(Gelu\): approximate="tanh" is not supported/);
  });

  it('refuses a dynamic dimension other than the batch, naming the input and the symbol', () => {
    const error = importError(onnxModel(gemmGraph({ inputs: [{ name: 'x', shape: ['N', 'features'] }] })));
    assert.match(error.message, /graph input "x": dimension 1 is the symbol "features"; only the batch dimension/);
    const unknown = importError(onnxModel(gemmGraph({ inputs: [{ name: 'x', shape: [1, null] }] })));
    assert.match(unknown.message, /graph input "x": dimension 1 is unknown/);
  });

  it('refuses opsets older than 13', () => {
    assert.match(importError(onnxModel(gemmGraph({ opset: 11 }))).message, /opset 11 is not supported/);
  });

  it('refuses bytes that are not an ONNX model', () => {
    assert.match(importError(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f])).message, /^ONNX: not a valid ONNX model/);
  });

  it('refuses an int64 tensor used as data, and a Reshape shape that is not constant', () => {
    const int64AsData = importError(onnxModel(gemmGraph({
      outputs: ['z'],
      initializers: [...gemmGraph().initializers!, int64Tensor('k', [1, 1, 1])],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 } }), node('Add', ['y', 'k'], ['z'])],
    })));
    assert.match(int64AsData.message, /node "z" \(Add\): input "k" is int64/);
    const dynamicShape = importError(onnxModel({
      inputs: [{ name: 'x', shape: [2, 6] }, { name: 's', shape: [2] }],
      outputs: ['y'],
      nodes: [node('Reshape', ['x', 's'], ['y'])],
    }));
    assert.match(dynamicShape.message, /node "y" \(Reshape\): the shape must be a constant int64 tensor/);
  });

  it('refuses a Reshape that would scale the dynamic batch', () => {
    const error = importError(onnxModel({
      inputs: [{ name: 'x', shape: ['N', 4, 6] }],
      outputs: ['y'],
      initializers: [int64Tensor('s', [-1, 6])],
      nodes: [node('Reshape', ['x', 's'], ['y'])],
    }));
    assert.match(error.message, /node "y" \(Reshape\): .*must keep the dynamic batch, unscaled, in dimension 0/);
  });

  it('refuses operands whose shapes do not broadcast, with both shapes', () => {
    const error = importError(onnxModel(gemmGraph({
      outputs: ['z'],
      initializers: [...gemmGraph().initializers!, floatTensor('c', [4], [1, 2, 3, 4])],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 } }), node('Add', ['y', 'c'], ['z'])],
    })));
    assert.match(error.message, /node "z" \(Add\): shapes \[-1,3\] and \[4\] do not broadcast/);
  });

  it('refuses initializers whose value count does not match their shape', () => {
    const error = importError(onnxModel(gemmGraph({ initializers: [floatTensor('W', [3, 2], [1, 2, 3, 4, 5]), floatTensor('b', [3], [0, 0, 0])] })));
    assert.match(error.message, /initializer "W": 5 values for shape \[3,2\]/);
  });
});
