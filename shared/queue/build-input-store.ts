// A build's input — its normalized request — kept in the farm's Redis as one binary value beside
// its job, so that the job data stays small: BullMQ moves job data through Lua as msgpack and
// JSON, and reads the whole job hash on every getJob, which for a network of hundreds of MB cost
// seconds each time. Redis rather than a local disk, because workers may run on other machines.
//
// Layout: u32 LE length of a JSON header, the header, zero padding to a multiple of 4, then the
// float data. The header is the normalized request with every Float32Array replaced by a marker
// giving its place in the data, so the worker gets the arrays back as views, without a copy.
//
// Lifetime: written by the API before it adds the job (again when it retries a failed one),
// deleted by the worker once the job completed; the expiry, as long as a failed job is kept,
// only bounds what a crash could leave behind.
import type { Redis } from 'ioredis';

import type { NormalizedBuildRequest } from '../network/build-request.js';
import { buildJobOptions } from './jobs.js';

const F32 = '$f32'; // the marker's key: { "$f32": [byte offset in the data, element count] }
const EXPIRY_SECONDS = buildJobOptions.removeOnFail.age;

export class BuildInputStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(buildId: string): string {
    return `${this.prefix}:build-inputs:${buildId}`;
  }

  // Returns the bytes written.
  async put(buildId: string, request: NormalizedBuildRequest): Promise<number> {
    const value = encode(request);
    await this.redis.set(this.key(buildId), value, 'EX', EXPIRY_SECONDS);
    return value.byteLength;
  }

  // undefined when it is gone (deleted after the build completed, or expired).
  async get(buildId: string): Promise<NormalizedBuildRequest | undefined> {
    const value = await this.redis.getBuffer(this.key(buildId));
    return value ? decode(value) : undefined;
  }

  async delete(buildId: string): Promise<void> {
    await this.redis.del(this.key(buildId));
  }
}

function encode(request: NormalizedBuildRequest): Buffer {
  const arrays: Float32Array[] = [];
  let dataBytes = 0;
  const header = JSON.stringify(request, (_key, value: unknown) => {
    if (!(value instanceof Float32Array)) return value;
    arrays.push(value);
    dataBytes += value.byteLength;
    return { [F32]: [dataBytes - value.byteLength, value.length] };
  });
  const headerBytes = Buffer.byteLength(header);
  const dataStart = align4(4 + headerBytes);
  // Unfilled: every byte but the padding is written below.
  const out = Buffer.allocUnsafe(dataStart + dataBytes);
  out.writeUInt32LE(headerBytes, 0);
  out.write(header, 4, 'utf8');
  out.fill(0, 4 + headerBytes, dataStart);
  let offset = dataStart;
  for (const array of arrays) {
    out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += array.byteLength;
  }
  return out;
}

function decode(stored: Buffer): NormalizedBuildRequest {
  // Float32Array views need a 4-aligned start; a Buffer from the Redis client need not have one.
  const value = stored.byteOffset % 4 === 0 ? stored : Buffer.from(stored);
  const headerBytes = value.readUInt32LE(0);
  const dataStart = align4(4 + headerBytes);
  if (dataStart > value.byteLength) throw new Error('build input is truncated (header)');
  const header = value.toString('utf8', 4, 4 + headerBytes);
  return JSON.parse(header, (_key, item: unknown) => {
    const place = marker(item);
    if (!place) return item;
    const [offset, length] = place;
    if (dataStart + offset + length * 4 > value.byteLength) throw new Error('build input is truncated (data)');
    return new Float32Array(value.buffer, value.byteOffset + dataStart + offset, length);
  }) as NormalizedBuildRequest;
}

function marker(item: unknown): [number, number] | undefined {
  if (item === null || typeof item !== 'object' || !(F32 in item)) return undefined;
  return (item as Record<typeof F32, [number, number]>)[F32];
}

function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
