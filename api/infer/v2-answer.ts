// A KServe v2 inference answer: JSON, or, when an output is asked for as binary, the binary
// tensor data extension (a JSON header, Inference-Header-Content-Length bytes long, then each
// binary output's raw little-endian bytes in the order of `outputs`). Binary outputs carry every
// float as it is, Infinity and NaN included; a JSON output holding one is refused (tensor-json.ts).
import type { TensorSet } from '../../shared/queue/wire-tensor.js';
import type { V2Datatype } from '../schemas/v2.js';
import { float32ToBf16, float32ToHalf, halfToFloat32, bf16ToFloat32 } from './half-float.js';
import { finiteJsonData } from './tensor-json.js';
import type { V2Request } from './v2-request.js';

export interface V2Answer {
  body: string | Buffer;
  headerLength?: number; // set: the body is binary (application/octet-stream)
}

export function writeV2Answer(model: string, request: V2Request, outputs: TensorSet): V2Answer {
  const binaries: Buffer[] = [];
  const entries = request.outputs.map(({ name, binary }) => {
    const tensor = outputs[name];
    const head = `"name":${JSON.stringify(name)},"datatype":"${request.datatype}","shape":${JSON.stringify(tensor.shape)}`;
    if (binary) {
      const bytes = toBytes(tensor.data, request.datatype);
      binaries.push(bytes);
      return `{${head},"parameters":{"binary_data_size":${bytes.length}}}`;
    }
    return `{${head},"data":${finiteJsonData(name, rounded(tensor.data, request.datatype))}}`;
  });
  const id = request.id !== undefined ? `"id":${JSON.stringify(request.id)},` : '';
  const header = `{"model_name":${JSON.stringify(model)},"model_version":"1",${id}"outputs":[${entries.join(',')}]}`;
  if (binaries.length === 0) return { body: header };
  const headerBuffer = Buffer.from(header);
  return { body: Buffer.concat([headerBuffer, ...binaries]), headerLength: headerBuffer.length };
}

function toBytes(values: Float32Array, datatype: V2Datatype): Buffer {
  const typed = datatype === 'FP32' ? values : datatype === 'FP16' ? float32ToHalf(values) : float32ToBf16(values);
  return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
}

// A 16-bit output written as JSON numbers: the values the 16-bit type holds.
function rounded(values: Float32Array, datatype: V2Datatype): Float32Array {
  if (datatype === 'FP16') return halfToFloat32(float32ToHalf(values));
  if (datatype === 'BF16') return bf16ToFloat32(float32ToBf16(values));
  return values;
}
