// The "ONNX bomb" of issue 9: x [1, 1] → Add(·, c_i) n times, each Add with its own 1-element
// initializer; 20 000 of them are 1.3 MB and convert to 40 000 layers.
import { floatTensor, node, onnxModel } from '../helpers/onnx-model.js';

export function addChainOnnx(count: number): Uint8Array {
  const output = (i: number) => (i === count - 1 ? 'y' : `a${i}`);
  return onnxModel({
    inputs: [{ name: 'x', shape: [1, 1] }],
    outputs: ['y'],
    initializers: Array.from({ length: count }, (_, i) => floatTensor(`c${i}`, [1], [i + 1])),
    nodes: Array.from({ length: count }, (_, i) => node('Add', [i === 0 ? 'x' : output(i - 1), `c${i}`], [output(i)])),
  });
}
