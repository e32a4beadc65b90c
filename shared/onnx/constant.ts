// Tensors whose values are known when the model is imported: initializers and Constant nodes.
import onnxProto from 'onnx-proto';
import { MAX_DIMS, MAX_TENSOR_ELEMENTS } from '../network/limits.js';
import { halfToFloat } from './float16.js';
import { OnnxImportError } from './onnx-import-error.js';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;

export type OnnxConstant =
  | { kind: 'float'; shape: number[]; data: Float32Array }
  | { kind: 'int64'; shape: number[]; data: number[] };

type Int64 = number | { toNumber(): number };

export function toNumber(value: Int64): number {
  return typeof value === 'number' ? value : value.toNumber();
}

// `where` names the tensor in messages.
export function readTensorProto(tensor: onnxProto.onnx.ITensorProto, where: string): OnnxConstant {
  if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || tensor.externalData?.length) {
    throw new OnnxImportError(`${where}: data stored outside the model (external data) is not supported; embed it`);
  }
  const shape = (tensor.dims ?? []).map(toNumber);
  if (shape.some((dim) => !Number.isSafeInteger(dim) || dim < 1)) {
    throw new OnnxImportError(`${where}: shape [${shape}] has a dimension that is not a positive integer`);
  }
  // The network JSON's limits, checked before the data is read.
  if (shape.length > MAX_DIMS) throw new OnnxImportError(`${where}: ${shape.length} dimensions, over the limit of ${MAX_DIMS}`, 'over-limit');
  const count = shape.reduce((product, dim) => product * dim, 1);
  if (count > MAX_TENSOR_ELEMENTS) throw new OnnxImportError(`${where}: shape [${shape}] has ${count} elements, over the limit of ${MAX_TENSOR_ELEMENTS}`, 'over-limit');
  const raw = tensor.rawData && tensor.rawData.length ? tensor.rawData : undefined;
  const rawView = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const rawCount = (bytesPerValue: number) => {
    if (raw!.length % bytesPerValue) throw new OnnxImportError(`${where}: raw_data of ${raw!.length} bytes is not a whole number of values`);
    return raw!.length / bytesPerValue;
  };

  let constant: OnnxConstant;
  switch (tensor.dataType) {
    case DataType.FLOAT: {
      // raw_data is little-endian, as Float32Array is on every host Node supports: one byte copy
      // (a per-value DataView read took seconds for a 4096² initializer).
      const data = raw ? new Float32Array(rawCount(4)) : Float32Array.from(tensor.floatData ?? []);
      if (raw) new Uint8Array(data.buffer).set(raw);
      constant = { kind: 'float', shape, data };
      break;
    }
    case DataType.DOUBLE: {
      const data = rawView ? Float32Array.from({ length: rawCount(8) }, (_, i) => rawView.getFloat64(i * 8, true)) : Float32Array.from(tensor.doubleData ?? []);
      constant = { kind: 'float', shape, data };
      break;
    }
    case DataType.FLOAT16: {
      // Without raw_data, halves are stored one per int32_data entry (the low 16 bits).
      const halves = rawView ? Array.from({ length: rawCount(2) }, (_, i) => rawView.getUint16(i * 2, true)) : (tensor.int32Data ?? []);
      constant = { kind: 'float', shape, data: Float32Array.from(halves, (bits) => halfToFloat(bits & 0xffff)) };
      break;
    }
    case DataType.INT64: {
      const data = rawView ? Array.from({ length: rawCount(8) }, (_, i) => Number(rawView.getBigInt64(i * 8, true))) : (tensor.int64Data ?? []).map(toNumber);
      constant = { kind: 'int64', shape, data };
      break;
    }
    default:
      throw new OnnxImportError(`${where}: data type ${DataType[tensor.dataType ?? 0] ?? tensor.dataType} is not supported (float, float16, double; int64 for Reshape shapes)`);
  }
  if (constant.data.length !== count) {
    throw new OnnxImportError(`${where}: ${constant.data.length} values for shape [${shape}] (${count} needed)`);
  }
  if (constant.kind === 'float') {
    const { data } = constant;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new OnnxImportError(`${where}: value ${i} is ${data[i]}, not a finite float32`);
    }
  }
  return constant;
}
