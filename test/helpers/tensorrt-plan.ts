// A tensorrt plan as a tensorrt worker stores it, made from a cpu plan without TensorRT: the
// header says tensorrt and the tactics hold an engine (random bytes) and a timing cache in the
// container of native/src/tensorrt/tactics_blob.cpp. Only for what reads a plan, never runs it.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const PLAN_HEADER_BYTES = 12; // magic + format version

function u64(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt(value));
  return out;
}

function str(text: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(Buffer.byteLength(text));
  return Buffer.concat([length, Buffer.from(text)]);
}

function tacticsContainer(engine: Buffer, timingCache: Buffer): Buffer {
  const version = Buffer.alloc(4);
  version.writeUInt32LE(1);
  return Buffer.concat([Buffer.from('TRTE'), version, u64(engine.length), engine, u64(timingCache.length), timingCache]);
}

export interface FakeTensorrtPlan {
  plan: Buffer;
  engine: Buffer;
}

// `cpuPlan` must carry no tactics (the cpu backend's never do).
export function tensorrtPlanFrom(cpuPlan: Uint8Array, compatKey: string, engineBytes = 3000): FakeTensorrtPlan {
  const view = Buffer.from(cpuPlan);
  let offset = PLAN_HEADER_BYTES;
  const strings: string[] = [];
  for (let i = 0; i < 3; i++) {
    const length = view.readUInt32LE(offset);
    strings.push(view.subarray(offset + 4, offset + 4 + length).toString());
    offset += 4 + length;
  }
  const tacticsAt = view.length - 4 - 8;
  if (view.readBigUInt64LE(tacticsAt) !== 0n) throw new Error('the cpu plan has tactics');
  const engine = randomBytes(engineBytes);
  const tactics = tacticsContainer(engine, randomBytes(100));
  const body = Buffer.concat([
    view.subarray(0, PLAN_HEADER_BYTES),
    str('tensorrt'),
    str(`tensorrt ${strings[1]}`),
    str(compatKey),
    view.subarray(offset, tacticsAt),
    u64(tactics.length),
    tactics,
  ]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(crc32(body));
  return { plan: Buffer.concat([body, checksum]), engine };
}
