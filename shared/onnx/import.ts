// ONNX model → NetworkSpec, for the FC subset of the contract (see GraphConverter for the ops).
import onnxProto from 'onnx-proto';
import type { NetworkSpec } from '../network/spec.js';
import { MAX_LAYERS, MAX_ONNX_BYTES, MAX_TOTAL_WEIGHT_BYTES } from '../network/limits.js';
import { toNumber } from './constant.js';
import { GraphConverter } from './graph-converter.js';
import { OnnxImportError } from './onnx-import-error.js';

const { onnx } = onnxProto;

// Opset 13 is where the supported ops took the semantics converted here (Reshape's 0 and -1,
// Flatten's negative axis, Gemm's optional C); Gelu needs opset 20.
const MIN_OPSET = 13;

// Throws OnnxImportError (a ValidationError: the caller's fault) for anything it cannot convert.
export function onnxToNetwork(bytes: Uint8Array): NetworkSpec {
  if (bytes.length > MAX_ONNX_BYTES) throw new OnnxImportError(`the model has ${bytes.length} bytes, over the limit of ${MAX_ONNX_BYTES}`, 'over-limit');
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new OnnxImportError(`not a valid ONNX model (${(error as Error).message})`);
  }
  if (!model.graph) throw new OnnxImportError('not a valid ONNX model: it has no graph');
  const opset = model.opsetImport.find((entry) => !entry.domain || entry.domain === 'ai.onnx');
  const version = opset ? toNumber(opset.version ?? 0) : 0;
  if (version < MIN_OPSET) throw new OnnxImportError(`opset ${version} is not supported; export with opset ${MIN_OPSET} or newer`);
  const network = new GraphConverter(model.graph).convert();
  if (network.layers.length > MAX_LAYERS) {
    throw new OnnxImportError(`the model converts to ${network.layers.length} layers, over the limit of ${MAX_LAYERS}`, 'over-limit');
  }
  // float16 initializers double in size as float32.
  const weightBytes = network.layers.reduce((sum, layer) => {
    if (layer.type === 'fullyConnected') return sum + layer.weights.byteLength + (layer.bias?.byteLength ?? 0);
    return layer.type === 'constant' ? sum + layer.values.byteLength : sum;
  }, 0);
  if (weightBytes > MAX_TOTAL_WEIGHT_BYTES) {
    throw new OnnxImportError(`the model's weights take ${weightBytes} bytes as float32, over the limit of ${MAX_TOTAL_WEIGHT_BYTES}`, 'over-limit');
  }
  return network;
}
