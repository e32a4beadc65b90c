// ONNX models built here, imported by trtfarm, built for the cpu backend and run; the outputs must
// match onnxruntime-node's on the same fresh random inputs at fp32 tolerance.
import { describe, it } from 'node:test';
import type { ProfileRange } from '../../shared/network/spec.js';
import { floatTensor, floatToHalf, int64Tensor, mlpOnnx, node, onnxModel, randomMlp, type FloatEncoding } from '../helpers/onnx-model.js';
import { halfToFloat } from '../../shared/onnx/float16.js';
import { checkAgainstOnnxRuntime } from './run-both.js';

const random = (count: number) => Float32Array.from({ length: count }, () => Math.random() * 2 - 1);
const batchProfile = (name: string, shape: number[]): Record<string, ProfileRange> => ({
  [name]: { min: [1, ...shape], opt: [4, ...shape], max: [8, ...shape] },
});
// Batches at the profile's min, opt, max and in between.
const batches = (name: string, shape: number[]) => [1, 3, 4, 8].map((n) => ({ [name]: [n, ...shape] }));

describe('ONNX models: trtfarm against onnxruntime', () => {
  it('Gemm(transB=1) with alpha, beta and a [N] bias, dynamic batch', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['batch', 8] }],
      outputs: ['y'],
      initializers: [floatTensor('W', [5, 8], random(40)), floatTensor('b', [5], random(5))],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'], { transB: { i: 1 }, alpha: { f: 0.5 }, beta: { f: 2 } })],
    });
    await checkAgainstOnnxRuntime(model, batches('x', [8]), batchProfile('x', [8]));
  });

  it('Gemm(transB=0) with a [1, N] bias from raw_data', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: [4, 8] }],
      outputs: ['y'],
      initializers: [floatTensor('W', [8, 6], random(48), 'raw'), floatTensor('b', [1, 6], random(6), 'raw')],
      nodes: [node('Gemm', ['x', 'W', 'b'], ['y'])],
    });
    await checkAgainstOnnxRuntime(model, [{ x: [4, 8] }]);
  });

  it('Gemm(transA=1) with alpha and a full [M, N] C scaled by beta', async () => {
    const model = onnxModel({
      inputs: [{ name: 'a', shape: [8, 4] }],
      outputs: ['y'],
      initializers: [floatTensor('B', [8, 3], random(24)), floatTensor('C', [4, 3], random(12))],
      nodes: [node('Gemm', ['a', 'B', 'C'], ['y'], { transA: { i: 1 }, alpha: { f: 1.5 }, beta: { f: 0.25 } })],
    });
    await checkAgainstOnnxRuntime(model, [{ a: [8, 4] }]);
  });

  it('Gemm of two network inputs with alpha, and C from a third input scaled by beta', async () => {
    const model = onnxModel({
      inputs: [{ name: 'a', shape: [4, 8] }, { name: 'b', shape: [3, 8] }, { name: 'c', shape: [4, 3] }],
      outputs: ['y'],
      nodes: [node('Gemm', ['a', 'b', 'c'], ['y'], { transB: { i: 1 }, alpha: { f: 2 }, beta: { f: -1 } })],
    });
    await checkAgainstOnnxRuntime(model, [{ a: [4, 8], b: [3, 8], c: [4, 3] }]);
  });

  it('MatMul + Add (a bias) with a dynamic batch', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', 8] }],
      outputs: ['y'],
      initializers: [floatTensor('W', [8, 5], random(40)), floatTensor('b', [5], random(5))],
      nodes: [node('MatMul', ['x', 'W'], ['xw']), node('Add', ['xw', 'b'], ['y'])],
    });
    await checkAgainstOnnxRuntime(model, batches('x', [8]), batchProfile('x', [8]));
  });

  it('MatMul of a 3-D input batched over its leading dimensions, plus a bias', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 8] }],
      outputs: ['y'],
      initializers: [floatTensor('W', [8, 5], random(40)), floatTensor('b', [5], random(5))],
      nodes: [node('MatMul', ['x', 'W'], ['xw']), node('Add', ['b', 'xw'], ['y'])],
    });
    await checkAgainstOnnxRuntime(model, batches('x', [3, 8]), batchProfile('x', [3, 8]));
  });

  it('Flatten of a 4-D input into Gemm (the seed as ONNX)', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 4, 5] }],
      outputs: ['y'],
      initializers: [floatTensor('W', [2, 60], random(120)), floatTensor('b', [2], random(2))],
      nodes: [node('Flatten', ['x'], ['flat'], { axis: { i: 1 } }), node('Gemm', ['flat', 'W', 'b'], ['y'], { transB: { i: 1 } })],
    });
    await checkAgainstOnnxRuntime(model, batches('x', [3, 4, 5]), batchProfile('x', [3, 4, 5]));
  });

  it('Reshape with its shape from a raw int64 initializer and from a Constant node', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 4, 5] }],
      outputs: ['y'],
      initializers: [int64Tensor('flatShape', [0, -1], 'raw'), floatTensor('W', [4, 60], random(240)), floatTensor('b', [4], random(4))],
      nodes: [
        node('Reshape', ['x', 'flatShape'], ['flat']),
        node('Gemm', ['flat', 'W', 'b'], ['fc'], { transB: { i: 1 } }),
        node('Constant', [], ['outShape'], { value: { t: int64Tensor('', [0, 2, 2]) } }),
        node('Reshape', ['fc', 'outShape'], ['y']),
      ],
    });
    await checkAgainstOnnxRuntime(model, batches('x', [3, 4, 5]), batchProfile('x', [3, 4, 5]));
  });

  const activations: [string, Record<string, { f: number } | { s: string }>][] = [
    ['Relu', {}], ['Sigmoid', {}], ['Tanh', {}], ['Gelu', {}], ['Gelu', { approximate: { s: 'none' } }], ['LeakyRelu', { alpha: { f: 0.2 } }], ['LeakyRelu', {}],
  ];
  for (const [op, attributes] of activations) {
    it(`Gemm + ${op}${Object.keys(attributes).length ? ` ${JSON.stringify(attributes)}` : ''}`, async () => {
      const model = onnxModel({
        inputs: [{ name: 'x', shape: ['N', 16] }],
        outputs: ['y'],
        // Weights of magnitude ~3 spread the pre-activations over the activation's whole shape.
        initializers: [floatTensor('W', [8, 16], random(128).map((w) => w * 3)), floatTensor('b', [8], random(8))],
        nodes: [node('Gemm', ['x', 'W', 'b'], ['h'], { transB: { i: 1 } }), node(op, ['h'], ['y'], attributes)],
      });
      await checkAgainstOnnxRuntime(model, batches('x', [16]), batchProfile('x', [16]));
    });
  }

  it('Mul and Sub with constants (a scalar Constant node among them) and between tensors', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: ['N', 6] }],
      outputs: ['y'],
      initializers: [floatTensor('W1', [4, 6], random(24)), floatTensor('W2', [4, 6], random(24)), floatTensor('scale', [4], random(4))],
      nodes: [
        node('Gemm', ['x', 'W1'], ['h1'], { transB: { i: 1 } }),
        node('Gemm', ['x', 'W2'], ['h2'], { transB: { i: 1 } }),
        node('Mul', ['h1', 'scale'], ['scaled']),
        node('Sub', ['scaled', 'h2'], ['diff']),
        node('Mul', ['diff', 'h1'], ['square']),
        node('Constant', [], ['half'], { value_float: { f: 0.5 } }),
        node('Sub', ['half', 'square'], ['y']),
      ],
    });
    await checkAgainstOnnxRuntime(model, batches('x', [6]), batchProfile('x', [6]));
  });

  for (const encoding of ['float16', 'float16-raw'] as FloatEncoding[]) {
    it(`float16 initializers (${encoding === 'float16' ? 'int32_data' : 'raw_data'}) give the same results as their float32 values`, async () => {
      // onnxruntime's Gemm takes one element type, so it runs the same numbers stored as float32.
      const halfValues = (count: number) => random(count).map((v) => halfToFloat(floatToHalf(v)));
      const W = halfValues(40);
      const b = halfValues(5);
      const graph = (enc: FloatEncoding) => onnxModel({
        inputs: [{ name: 'x', shape: ['N', 8] }],
        outputs: ['y'],
        initializers: [floatTensor('W', [5, 8], W, enc), floatTensor('b', [5], b, enc)],
        nodes: [node('Gemm', ['x', 'W', 'b'], ['h'], { transB: { i: 1 } }), node('Relu', ['h'], ['y'])],
      });
      await checkAgainstOnnxRuntime(graph(encoding), batches('x', [8]), batchProfile('x', [8]), graph('float'));
    });
  }

  it('an Identity as the graph output, after Reshape of a constant-free chain', async () => {
    const model = onnxModel({
      inputs: [{ name: 'x', shape: [2, 3, 4] }],
      outputs: ['y'],
      initializers: [floatTensor('W', [12, 5], random(60))],
      nodes: [node('Flatten', ['x'], ['flat']), node('MatMul', ['flat', 'W'], ['xw']), node('Identity', ['xw'], ['y'])],
    });
    await checkAgainstOnnxRuntime(model, [{ x: [2, 3, 4] }]);
  });

  it('a 3-layer MLP of mlpOnnx (the cpu bench model) with a dynamic batch', async () => {
    const model = mlpOnnx(randomMlp(32, [64, 64, 10], 'relu'));
    await checkAgainstOnnxRuntime(model, batches('x', [32]), batchProfile('x', [32]));
  });
});
