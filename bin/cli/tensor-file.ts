// --input x=FILE: a .npy file (float32 or float64, C order), or JSON holding a nested array or
// { shape, data }; read as { shape, data } for the infer request.
import { readFileSync } from 'node:fs';

import { UsageError } from './usage-error.js';

export interface Tensor {
  shape: number[];
  data: number[];
}

export function readTensorFile(file: string): Tensor {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return file.toLowerCase().endsWith('.npy') ? parseNpy(bytes, file) : parseJsonTensor(bytes.toString('utf8'), file);
}

// NumPy's format: magic, version, a little-endian header length, a Python-dict header, the data.
export function parseNpy(bytes: Buffer, file = '.npy'): Tensor {
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new UsageError(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new UsageError(`${file}: unreadable .npy header`);
  if (fortran === 'True') throw new UsageError(`${file}: Fortran-ordered arrays are not supported (save with C order)`);
  const shape = shapeText.split(',').map((dim) => dim.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((product, dim) => product * dim, 1);
  const offset = start + headerLength;
  const reader = ({ '<f4': [4, (o: number) => bytes.readFloatLE(o)], '<f8': [8, (o: number) => bytes.readDoubleLE(o)] } as const)[descr as '<f4' | '<f8'];
  if (!reader) throw new UsageError(`${file}: dtype ${descr} is not supported (float32 '<f4' or float64 '<f8')`);
  const [size, read] = reader;
  if (bytes.length < offset + count * size) throw new UsageError(`${file}: ${count} elements announced, fewer stored`);
  return { shape, data: Array.from({ length: count }, (_, i) => read(offset + i * size)) };
}

export function parseJsonTensor(text: string, file = 'JSON'): Tensor {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not JSON: ${(error as Error).message}`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { shape, data } = value as Partial<Tensor>;
    if (!Array.isArray(shape) || !Array.isArray(data)) throw new UsageError(`${file}: expected { shape, data } or a nested array`);
    return { shape, data };
  }
  return fromNested(value, file);
}

function fromNested(value: unknown, file: string): Tensor {
  const shape: number[] = [];
  for (let level = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data = (value as unknown[]).flat(Infinity);
  if (data.length !== shape.reduce((product, dim) => product * dim, 1) || data.some((x) => typeof x !== 'number')) {
    throw new UsageError(`${file}: a nested array of numbers with equal lengths at each level is expected`);
  }
  return { shape, data: data as number[] };
}
