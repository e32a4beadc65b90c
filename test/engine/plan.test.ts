// Plans through the addon: round trip, determinism, corrupted and foreign plans refused with
// coded errors that say what is wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import { SEED_EXPECTED, seedFullyConnected, seedInput, seedMatrixMultiply } from '../helpers/seed.js';
import { tensorrtPlanFrom } from '../helpers/tensorrt-plan.js';

const profile = { x: { min: [1, 3, 4, 5], opt: [2, 3, 4, 5], max: [4, 3, 4, 5] } };

// Re-emits the plan's three leading strings (backend, backend version, compat key) with changes,
// and a fresh checksum, so that only what was changed differs.
function rewriteHeader(plan: Uint8Array, change: { backend?: string; compatKey?: string }): Buffer {
  const view = Buffer.from(plan);
  let offset = 12;
  const strings: string[] = [];
  for (let i = 0; i < 3; i++) {
    const length = view.readUInt32LE(offset);
    strings.push(view.subarray(offset + 4, offset + 4 + length).toString());
    offset += 4 + length;
  }
  strings[0] = change.backend ?? strings[0];
  strings[2] = change.compatKey ?? strings[2];
  const encoded = strings.map((s) => {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(Buffer.byteLength(s));
    return Buffer.concat([length, Buffer.from(s)]);
  });
  const body = Buffer.concat([view.subarray(0, 12), ...encoded, view.subarray(offset, view.length - 4)]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(crc32(body));
  return Buffer.concat([body, checksum]);
}

test('plan round trip: build → bytes → inspectPlan → loadEngine → infer', async () => {
  const built = await engine.build(seedMatrixMultiply(-1), { precision: 'fp16', backend: 'cpu', profile });
  assert.ok(built.buildMs >= 0);
  assert.equal(built.info.bytes, built.plan.length);
  const inspected = engine.inspectPlan(new Uint8Array(built.plan));
  assert.deepEqual(inspected, built.info);
  assert.deepEqual(inspected.profile, profile);
  assert.equal(inspected.backend, 'cpu');
  assert.equal(inspected.formatVersion, 1);
  const e = await engine.loadEngine(built.plan, { device: 0 });
  assert.deepEqual(e.info, built.info);
  const out = await e.infer({ x: { shape: [3, 3, 4, 5], data: seedInput(3) } });
  assert.deepEqual([...out.y.data], [...SEED_EXPECTED, ...SEED_EXPECTED, ...SEED_EXPECTED]);
  e.dispose();
});

test('the same build request gives the same plan bytes', async () => {
  for (const precision of ['fp32', 'bf16'] as const) {
    const a = await engine.build(seedFullyConnected(-1), { precision, backend: 'cpu', profile });
    const b = await engine.build(seedFullyConnected(-1), { precision, backend: 'cpu', profile });
    assert.ok(a.plan.equals(b.plan), precision);
  }
});

test('a rebuild that reuses an earlier plan\'s tactics gives the same bytes; a bad or foreign earlier plan is refused', async () => {
  const first = await engine.build(seedFullyConnected(-1), { precision: 'fp16', backend: 'cpu', profile });
  const again = await engine.build(seedFullyConnected(-1), { precision: 'fp16', backend: 'cpu', profile, reuseTacticsFrom: first.plan });
  assert.ok(again.plan.equals(first.plan));
  const corrupt = Buffer.from(first.plan);
  corrupt[corrupt.length >> 1] ^= 0x10;
  await assert.rejects(
    engine.build(seedFullyConnected(-1), { precision: 'fp16', backend: 'cpu', profile, reuseTacticsFrom: corrupt }),
    (err: unknown) => isEngineError(err, 'E_PLAN') && /checksum/i.test((err as Error).message),
  );
  const foreign = rewriteHeader(first.plan, { backend: 'cuda' });
  await assert.rejects(
    engine.build(seedFullyConnected(-1), { precision: 'fp16', backend: 'cpu', profile, reuseTacticsFrom: foreign }),
    (err: unknown) => isEngineError(err, 'E_PLAN') && /cuda plan; this build is for cpu/.test((err as Error).message),
  );
});

test('truncated, bit-flipped and wrong-magic plans are rejected with E_PLAN and a message', async () => {
  const { plan } = await engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'cpu' });
  const bad: [string, Buffer][] = [];
  for (let n = 0; n < plan.length; n += 13) bad.push([`truncated to ${n}`, plan.subarray(0, n)]);
  for (let i = 0; i < plan.length; i += 5) {
    const flipped = Buffer.from(plan);
    flipped[i] ^= 0x10;
    bad.push([`bit flip at ${i}`, flipped]);
  }
  const magic = Buffer.from(plan);
  magic.write('NOTAPLAN', 0);
  bad.push(['wrong magic', magic]);
  for (const [what, bytes] of bad) {
    assert.throws(
      () => engine.inspectPlan(bytes),
      (err: unknown) => isEngineError(err, 'E_PLAN') && /plan/.test(err.message),
      what,
    );
  }
  await assert.rejects(engine.loadEngine(magic), (err: unknown) => isEngineError(err, 'E_PLAN') && /wrong magic/.test(err.message));
  assert.throws(
    () => engine.inspectPlan('not bytes' as unknown as Uint8Array),
    (err: unknown) => isEngineError(err, 'E_PLAN') && /plan must be a Uint8Array or Buffer/.test(err.message),
  );
});

test('a plan from another machine or backend is refused with E_COMPAT saying what it needs', async () => {
  const { plan } = await engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'cpu' });
  const foreign = rewriteHeader(plan, { compatKey: 'cpu:a-different-machine' });
  assert.equal(engine.inspectPlan(foreign).compatKey, 'cpu:a-different-machine');
  await assert.rejects(
    engine.loadEngine(foreign),
    (err: unknown) => isEngineError(err, 'E_COMPAT') && /built for 'cpu:a-different-machine' but this machine's cpu backend is/.test(err.message),
  );
  for (const status of engine.backends().filter((b) => !b.available)) {
    await assert.rejects(
      engine.loadEngine(rewriteHeader(plan, { backend: status.name })),
      (err: unknown) =>
        isEngineError(err, 'E_COMPAT') && err.message.includes(`needs backend '${status.name}', which is not available here: ${status.reason}`),
    );
  }
});

test("tensorrtEngine gives a tensorrt plan's bare engine and refuses other plans with E_PLAN naming the backend", async () => {
  const { plan } = await engine.build(seedFullyConnected(), { precision: 'fp32', backend: 'cpu' });
  await assert.rejects(
    engine.tensorrtEngine(plan),
    (err: unknown) => isEngineError(err, 'E_PLAN') && /built by the cpu backend: only tensorrt plans hold a TensorRT engine/.test(err.message),
  );
  const fake = tensorrtPlanFrom(plan, 'tensorrt:sm_90:trt11.1.0:cuda13.0');
  assert.deepEqual(await engine.tensorrtEngine(fake.plan), fake.engine);
  // Labelled tensorrt, but its tactics are a cpu plan's: no engine inside.
  await assert.rejects(
    engine.tensorrtEngine(rewriteHeader(plan, { backend: 'tensorrt' })),
    (err: unknown) => isEngineError(err, 'E_PLAN') && /tensorrt plan: truncated header/.test(err.message),
  );
});
