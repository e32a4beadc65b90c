// Builds ONNX models in tests (with onnx-proto), serialized to bytes, and the MLPs that the ONNX
// tests and the cpu bench share.
import onnxProto from 'onnx-proto';
import type { ActivationKind, LayerSpec, NetworkSpec } from '../../shared/network/spec.js';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

// How an initializer stores its values: float_data, raw_data of float32, int32_data holding float16
// bits, or raw_data of float16.
export type FloatEncoding = 'float' | 'raw' | 'float16' | 'float16-raw';

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>, encoding: FloatEncoding = 'float'): onnxProto.onnx.ITensorProto {
  const data = Float32Array.from(values);
  switch (encoding) {
    case 'float':
      return { name, dims, dataType: DataType.FLOAT, floatData: Array.from(data) };
    case 'raw':
      return { name, dims, dataType: DataType.FLOAT, rawData: littleEndian(data.length, 4, (view, i) => view.setFloat32(i * 4, data[i], true)) };
    case 'float16':
      return { name, dims, dataType: DataType.FLOAT16, int32Data: Array.from(data, floatToHalf) };
    case 'float16-raw':
      return { name, dims, dataType: DataType.FLOAT16, rawData: littleEndian(data.length, 2, (view, i) => view.setUint16(i * 2, floatToHalf(data[i]), true)) };
  }
}

export function int64Tensor(name: string, values: number[], encoding: 'int64' | 'raw' = 'int64'): onnxProto.onnx.ITensorProto {
  const dims = [values.length];
  if (encoding === 'int64') return { name, dims, dataType: DataType.INT64, int64Data: values };
  return { name, dims, dataType: DataType.INT64, rawData: littleEndian(values.length, 8, (view, i) => view.setBigInt64(i * 8, BigInt(values[i]), true)) };
}

function littleEndian(count: number, width: number, set: (view: DataView, i: number) => void): Uint8Array {
  const bytes = new Uint8Array(count * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) set(view, i);
  return bytes;
}

// float32 → float16 bits, round to nearest even (normal range and zero; enough for test weights,
// which are then compared through halfToFloat on both sides).
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign; // underflow to zero
  if (exponent >= 0x1f) throw new RangeError(`${value} does not fit float16`);
  let half = sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
  const rest = bits & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return half;
}

export type Attribute = { f: number } | { i: number } | { s: string } | { ints: number[] } | { t: onnxProto.onnx.ITensorProto };

export function node(opType: string, inputs: string[], outputs: string[], attributes: Record<string, Attribute> = {}, name = outputs[0]): onnxProto.onnx.INodeProto {
  const attribute = Object.entries(attributes).map(([key, value]): onnxProto.onnx.IAttributeProto => {
    if ('f' in value) return { name: key, type: AttributeType.FLOAT, f: value.f };
    if ('i' in value) return { name: key, type: AttributeType.INT, i: value.i };
    if ('s' in value) return { name: key, type: AttributeType.STRING, s: Buffer.from(value.s) };
    if ('ints' in value) return { name: key, type: AttributeType.INTS, ints: value.ints };
    return { name: key, type: AttributeType.TENSOR, t: value.t };
  });
  return { opType, input: inputs, output: outputs, attribute, name };
}

// A dimension: a size, or a symbol (dim_param) for a dynamic one, or null for an unknown one.
export type Dim = number | string | null;

export interface GraphDescription {
  inputs: { name: string; shape: Dim[] }[];
  outputs: string[];
  nodes: onnxProto.onnx.INodeProto[];
  initializers?: onnxProto.onnx.ITensorProto[];
  opset?: number;
}

// Gelu (exact) is an opset 20 operator; IR version 9 goes with opset 20.
export function onnxModel({ inputs, outputs, nodes, initializers = [], opset = 20 }: GraphDescription): Uint8Array {
  const tensorType = (shape?: Dim[]) => ({
    tensorType: {
      elemType: DataType.FLOAT,
      ...(shape ? { shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) } } : {}),
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 9,
    producerName: 'trtfarm-tests',
    opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'test',
      input: inputs.map(({ name, shape }) => ({ name, type: tensorType(shape) })),
      output: outputs.map((name) => ({ name, type: tensorType() })),
      node: nodes,
      initializer: initializers,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export interface MlpLayer {
  weights: Float32Array; // [outputs, inputs], row-major
  bias: Float32Array; // [outputs]
}

export interface Mlp {
  inputSize: number;
  layers: MlpLayer[];
  activation?: ActivationKind; // after every layer; none when omitted
  batch?: number; // omitted: a dynamic batch
}

const ONNX_ACTIVATION: Record<ActivationKind, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', gelu: 'Gelu', leakyRelu: 'LeakyRelu' };

// Fresh random weights in ±1/√fan-in (so activations stay of order 1 through the layers).
export function randomMlp(inputSize: number, widths: number[], activation?: ActivationKind, batch?: number): Mlp {
  let fanIn = inputSize;
  const layers = widths.map((width) => {
    const bound = 1 / Math.sqrt(fanIn);
    const random = (n: number) => Float32Array.from({ length: n }, () => (Math.random() * 2 - 1) * bound);
    const layer = { weights: random(width * fanIn), bias: random(width) };
    fanIn = width;
    return layer;
  });
  return { inputSize, layers, activation, batch };
}

// Tensor names shared by both forms: input "x", layer i's Gemm/FC "fc{i}", its activation "act{i}",
// the last result "y".
function mlpNames(mlp: Mlp): { fc: string; act?: string }[] {
  return mlp.layers.map((_, i) => {
    const last = i === mlp.layers.length - 1;
    return mlp.activation ? { fc: `fc${i}`, act: last ? 'y' : `act${i}` } : { fc: last ? 'y' : `fc${i}` };
  });
}

// The MLP as ONNX: Gemm(transB = 1) with W and b initializers, then the activation.
export function mlpOnnx(mlp: Mlp): Uint8Array {
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializers: onnxProto.onnx.ITensorProto[] = [];
  let previous = 'x';
  let fanIn = mlp.inputSize;
  mlpNames(mlp).forEach((names, i) => {
    const { weights, bias } = mlp.layers[i];
    const width = bias.length;
    initializers.push(floatTensor(`W${i}`, [width, fanIn], weights, 'raw'), floatTensor(`b${i}`, [width], bias, 'raw'));
    nodes.push(node('Gemm', [previous, `W${i}`, `b${i}`], [names.fc], { transB: { i: 1 } }));
    previous = names.fc;
    if (mlp.activation && names.act) {
      nodes.push(node(ONNX_ACTIVATION[mlp.activation], [previous], [names.act]));
      previous = names.act;
    }
    fanIn = width;
  });
  return onnxModel({ inputs: [{ name: 'x', shape: [mlp.batch ?? 'N', mlp.inputSize] }], outputs: ['y'], nodes, initializers });
}

// The same MLP as a NetworkSpec: fullyConnected layers and activations.
export function mlpNetwork(mlp: Mlp): NetworkSpec {
  const layers: LayerSpec[] = [];
  let previous = 'x';
  mlpNames(mlp).forEach((names, i) => {
    const { weights, bias } = mlp.layers[i];
    layers.push({ name: names.fc, type: 'fullyConnected', inputs: [previous], outputs: bias.length, weights, bias });
    previous = names.fc;
    if (mlp.activation && names.act) {
      layers.push({ name: names.act, type: 'activation', kind: mlp.activation, inputs: [previous] });
      previous = names.act;
    }
  });
  return { inputs: [{ name: 'x', shape: [mlp.batch ?? -1, mlp.inputSize] }], layers, outputs: ['y'] };
}
