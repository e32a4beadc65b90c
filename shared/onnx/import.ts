// ONNX model → NetworkSpec, for the FC subset of the contract (see GraphConverter for the ops).
import onnxProto from 'onnx-proto';
import type { NetworkSpec } from '../network/spec.js';
import { MAX_ONNX_BYTES } from '../network/limits.js';
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
  return new GraphConverter(model.graph).convert();
}
