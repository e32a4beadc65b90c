// A build's input — its normalized request — kept in the farm's Redis beside its job, so that the
// job data stays small: BullMQ moves job data through Lua as msgpack and JSON, and reads the whole
// job hash on every getJob, which for a network of hundreds of MB cost seconds each time. Redis
// rather than a local disk, because workers may run on other machines.
//
// The network is kept once per content (its NetworkIdentity key), shared by every build of it (a
// sweep's variants, a build and its other-precision twin), with the set of builds using it; each
// build has a small record naming its network and its options. A network already there is not
// sent again.
//
// The network's layout: float-frame.ts's, the header being the network with every Float32Array
// replaced by a marker giving its place in the data, so the worker gets the arrays back as views,
// without a copy.
//
// Lifetime: written by the API before it adds the job (again when it retries a failed one),
// deleted by the worker once the job completed (the network with its last user); the expiry, as
// long as a failed job is kept, only bounds what a crash could leave behind.
import type { Redis } from 'ioredis';

import type { BuildRequestOptions, NormalizedBuildRequest } from '../network/build-request.js';
import type { NetworkSpec } from '../network/spec.js';
import { decodeFrame, encodeFrame } from './float-frame.js';
import { buildJobOptions } from './jobs.js';
import { farmKeys } from './names.js';

const F32 = '$f32'; // the marker's key: { "$f32": [byte offset in the data, element count] }
const EXPIRY_SECONDS = buildJobOptions.removeOnFail.age;

interface BuildRecord {
  network: string;
  options: BuildRequestOptions;
}

// KEYS: network, its users, the build's record. ARGV: build id, record, expiry. 1 when the
// network was there (and the build is now one of its users), 0 when it must be sent.
const ATTACH = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[3])
return 1`;

// KEYS: the build's record; ARGV: build id, the farm's network key prefix. Deletes the record and,
// with its last user, the network.
const DETACH = `
local record = redis.call('GET', KEYS[1])
if not record then return 0 end
redis.call('DEL', KEYS[1])
local network = cjson.decode(record)['network']
local users = ARGV[2] .. network .. ':users'
redis.call('SREM', users, ARGV[1])
if redis.call('SCARD', users) == 0 then redis.call('DEL', ARGV[2] .. network, users) end
return 1`;

export class BuildInputStore {
  // The network read last, by its content key: a sweep's variants come one after another to the same
  // worker, and each would otherwise fetch and decode the same hundreds of MB again. One entry, so a
  // worker holds at most one network (≤ the weights limit) beyond the build in hand.
  private lastRead?: { key: string; network: NetworkSpec };

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  // `networkKey`: NetworkIdentity's key of request.network. Returns the bytes sent.
  async put(buildId: string, request: NormalizedBuildRequest, networkKey: string): Promise<number> {
    const keys = [
      farmKeys.buildNetwork(this.prefix, networkKey),
      farmKeys.buildNetworkUsers(this.prefix, networkKey),
      farmKeys.buildInput(this.prefix, buildId),
    ];
    const record = JSON.stringify({ network: networkKey, options: request.options } satisfies BuildRecord);
    if ((await this.redis.eval(ATTACH, 3, ...keys, buildId, record, EXPIRY_SECONDS)) === 1) return record.length;
    const value = encode(request.network);
    await this.redis
      .multi()
      .set(keys[0], value, 'EX', EXPIRY_SECONDS)
      .sadd(keys[1], buildId)
      .expire(keys[1], EXPIRY_SECONDS)
      .set(keys[2], record, 'EX', EXPIRY_SECONDS)
      .exec();
    return value.byteLength + record.length;
  }

  // undefined when it is gone (deleted after the build completed, or expired).
  async get(buildId: string): Promise<NormalizedBuildRequest | undefined> {
    const record = await this.redis.get(farmKeys.buildInput(this.prefix, buildId));
    if (!record) return undefined;
    const { network: key, options } = JSON.parse(record) as BuildRecord;
    if (this.lastRead?.key === key) return { network: this.lastRead.network, options };
    const value = await this.redis.getBuffer(farmKeys.buildNetwork(this.prefix, key));
    if (!value) return undefined;
    this.lastRead = { key, network: decode(value) };
    return { network: this.lastRead.network, options };
  }

  async delete(buildId: string): Promise<void> {
    const networkPrefix = farmKeys.buildNetwork(this.prefix, '');
    await this.redis.eval(DETACH, 1, farmKeys.buildInput(this.prefix, buildId), buildId, networkPrefix);
  }
}

function encode(network: NetworkSpec): Buffer {
  const arrays: Float32Array[] = [];
  let dataBytes = 0;
  const header = JSON.stringify(network, (_key, value: unknown) => {
    if (!(value instanceof Float32Array)) return value;
    arrays.push(value);
    dataBytes += value.byteLength;
    return { [F32]: [dataBytes - value.byteLength, value.length] };
  });
  return encodeFrame(header, arrays);
}

function decode(stored: Buffer): NetworkSpec {
  const frame = decodeFrame(stored, 'build input');
  return JSON.parse(frame.header, (_key, item: unknown) => {
    const place = marker(item);
    return place ? frame.floats(place[0], place[1]) : item;
  }) as NetworkSpec;
}

function marker(item: unknown): [number, number] | undefined {
  if (item === null || typeof item !== 'object' || !(F32 in item)) return undefined;
  return (item as Record<typeof F32, [number, number]>)[F32];
}
