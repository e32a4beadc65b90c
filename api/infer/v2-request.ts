// A KServe v2 inference request as standard clients send it: JSON, or the binary tensor data
// extension (a JSON header of Inference-Header-Content-Length bytes, then each binary input's
// raw little-endian bytes in the order of `inputs`, `parameters.binary_data_size` each), FP32,
// FP16 or BF16, data flat or nested. Gives the inputs as float32 tensors checked against the
// plan, and what the answer must hold.
import type { Tensor } from '../../shared/engine/types.js';
import { MAX_TENSOR_ELEMENTS } from '../../shared/network/limits.js';
import { elementCount } from '../../shared/network/tensor.js';
import { ValidationError } from '../../shared/network/validation-error.js';
import type { TensorSet } from '../../shared/queue/wire-tensor.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import { v2DatatypeSchema, v2InferRequestSchema, type V2Datatype, type V2InferRequest } from '../schemas/v2.js';
import { checkInputs } from './check-inputs.js';
import { bf16ToFloat32, halfToFloat32 } from './half-float.js';

export interface V2WantedOutput {
  name: string;
  binary: boolean;
}

export interface V2Request {
  id?: string;
  inputs: TensorSet;
  outputs: V2WantedOutput[];
  datatype: V2Datatype; // of the outputs: the inputs' own when they all share one, else FP32
}

const BYTES: Record<V2Datatype, number> = { FP32: 4, FP16: 2, BF16: 2 };

interface RawInput {
  shape: number[];
  datatype: V2Datatype;
  data?: unknown[];
  bytes?: Buffer;
}

export function parseV2Request(body: Buffer | undefined, headerLength: string | string[] | undefined, meta: PlanMeta): V2Request {
  const raw = body ?? Buffer.alloc(0);
  const jsonBytes = headerBytes(headerLength, raw.length);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8', 0, jsonBytes));
  } catch (error) {
    throw new ValidationError(`body: not a JSON inference request (${(error as Error).message})`);
  }
  const checked = v2InferRequestSchema.safeParse(parsed);
  if (!checked.success) throw ValidationError.fromIssues(checked.error.issues, parsed);
  const request = checked.data;

  const inputs = new Map<string, RawInput>();
  let offset = jsonBytes;
  request.inputs.forEach((input, i) => {
    const where = `inputs[${i}] (${JSON.stringify(input.name)})`;
    const datatype = v2DatatypeSchema.safeParse(input.datatype);
    if (!datatype.success) throw new ValidationError(`${where}.datatype: ${JSON.stringify(input.datatype)} is not supported (FP32, FP16, BF16)`);
    if (inputs.has(input.name)) throw new ValidationError(`inputs[${i}]: ${JSON.stringify(input.name)} is given twice`);
    const size = input.parameters?.binary_data_size;
    if (size !== undefined) {
      if (input.data !== undefined) throw new ValidationError(`${where}: both data and parameters.binary_data_size`);
      if (offset + size > raw.length) {
        throw new ValidationError(`${where}.parameters.binary_data_size: ${size} bytes, but only ${raw.length - offset} bytes of binary data are left in the body`);
      }
      inputs.set(input.name, { shape: input.shape, datatype: datatype.data, bytes: raw.subarray(offset, offset + size) });
      offset += size;
    } else {
      if (input.data === undefined) throw new ValidationError(`${where}: no data (neither data nor parameters.binary_data_size)`);
      inputs.set(input.name, { shape: input.shape, datatype: datatype.data, data: input.data });
    }
  });
  if (offset !== raw.length) {
    throw new ValidationError(`body: ${raw.length - offset} bytes after the header and the inputs' binary data (binary_data_size) are left over`);
  }

  const tensors = checkInputs(meta, Object.fromEntries(inputs), decodeInput);
  const datatypes = new Set([...inputs.values()].map((input) => input.datatype));
  return {
    id: request.id,
    inputs: tensors,
    outputs: wantedOutputs(request, meta),
    datatype: datatypes.size === 1 ? [...datatypes][0] : 'FP32',
  };
}

function headerBytes(header: string | string[] | undefined, bodyLength: number): number {
  if (header === undefined) return bodyLength;
  const text = Array.isArray(header) ? header[0] : header;
  if (!/^\d{1,12}$/.test(text) || Number(text) > bodyLength) {
    throw new ValidationError(`Inference-Header-Content-Length: ${JSON.stringify(text)} is not a byte count within the body (${bodyLength} bytes)`);
  }
  return Number(text);
}

function wantedOutputs(request: V2InferRequest, meta: PlanMeta): V2WantedOutput[] {
  const binaryByDefault = request.parameters?.binary_data_output === true;
  const wanted = request.outputs ?? meta.outputs.map((output) => ({ name: output.name, parameters: undefined }));
  const unknown = wanted.filter((output) => !meta.outputs.some((o) => o.name === output.name));
  if (unknown.length > 0) throw new ValidationError(`outputs: the plan has no output ${unknown.map((o) => JSON.stringify(o.name)).join(', ')}`);
  return wanted.map((output) => ({ name: output.name, binary: output.parameters?.binary_data ?? binaryByDefault }));
}

function decodeInput(input: RawInput, where: string): Tensor {
  const count = elementCount(input.shape);
  if (count > MAX_TENSOR_ELEMENTS) {
    throw new ValidationError(`${where}.shape: [${input.shape}] has ${count} elements, over the limit of ${MAX_TENSOR_ELEMENTS}`, 'over-limit');
  }
  const data = input.bytes ? fromBytes(input.bytes, input.datatype, count, where) : fromJson(input.data!, count, where);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ValidationError(`${where}.data[${i}]: ${data[i]} is not a finite value`);
  }
  return { shape: [...input.shape], data };
}

function fromBytes(bytes: Buffer, datatype: V2Datatype, count: number, where: string): Float32Array {
  if (bytes.length !== count * BYTES[datatype]) {
    throw new ValidationError(`${where}: ${count} elements of ${datatype} are ${count * BYTES[datatype]} bytes, parameters.binary_data_size is ${bytes.length}`);
  }
  // Typed arrays need an aligned start; the body's bytes need not have one.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  if (datatype === 'FP32') return new Float32Array(aligned.buffer, aligned.byteOffset, count);
  const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, count);
  return datatype === 'FP16' ? halfToFloat32(halves) : bf16ToFloat32(halves);
}

// JSON numbers are taken as the values they are, whatever the datatype says.
function fromJson(data: unknown[], count: number, where: string): Float32Array {
  const flat = data.some(Array.isArray) ? data.flat(Infinity) : data;
  if (flat.length !== count) throw new ValidationError(`${where}: shape needs ${count} values, data has ${flat.length}`);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const value = flat[i];
    if (typeof value !== 'number') throw new ValidationError(`${where}.data: element ${i} (flattened) is ${JSON.stringify(value)}, not a number`);
    values[i] = value;
  }
  return values;
}
