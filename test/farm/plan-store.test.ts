import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Redis } from 'ioredis';

import { FsPlanStore } from '../../shared/store/fs-plan-store.js';
import { RedisPlanStore } from '../../shared/store/redis-plan-store.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';

const meta: Omit<PlanMeta, 'id' | 'bytes'> = {
  formatVersion: 1,
  backend: 'cpu',
  backendVersion: 'test',
  compatKey: 'cpu:test',
  precision: 'fp32',
  batch: { min: 1, opt: 1, max: 1 },
  inputs: [{ name: 'x', shape: [1, 2], dtype: 'float32' }],
  outputs: [{ name: 'y', shape: [1, 1], dtype: 'float32' }],
  device: { name: 'test cpu' },
  buildMs: 1,
  createdAt: new Date(0).toISOString(),
};

describe('the filesystem plan store', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-store-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('addresses a plan by the sha256 of its bytes and gives back the same bytes and meta', async () => {
    const store = new FsPlanStore(dir);
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const stored = await store.put(bytes, meta);
    assert.equal(stored.id, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(stored.bytes, 5);
    assert.deepEqual(await store.get(stored.id), Buffer.from(bytes));
    assert.deepEqual(await store.meta(stored.id), stored);
  });

  it('addresses a plan of several hash slices by the sha256 of all its bytes', async () => {
    const store = new FsPlanStore(path.join(dir, 'large'));
    const bytes = randomBytes(20 * 1024 * 1024 + 3);
    const stored = await store.put(bytes, meta);
    assert.equal(stored.id, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(await store.get(stored.id), bytes);
  });

  it('stores the same bytes once, leaves no temporary files, and knows nothing of unknown or malformed ids', async () => {
    const store = new FsPlanStore(dir);
    const bytes = new Uint8Array([9, 9, 9]);
    const first = await store.put(bytes, meta);
    const second = await store.put(bytes, { ...meta, buildMs: 99 });
    assert.deepEqual(second, first);
    const names = await readdir(dir);
    assert.ok(names.every((name) => !name.endsWith('.tmp')), names.join(', '));
    assert.equal(await store.count(), 2);
    assert.equal(await store.get('0'.repeat(64)), undefined);
    assert.equal(await store.meta('../../etc/passwd'), undefined);
  });
});

describe('the Redis plan store', () => {
  let redis: TestRedis;
  let connection: Redis;
  before(async () => {
    redis = await startTestRedis();
    connection = new Redis(redis.url);
  });
  after(async () => {
    await connection.quit();
    await redis.stop();
  });

  it('keeps plan bytes and meta under the sha256 of the bytes, once, per prefix', async () => {
    const store = new RedisPlanStore(connection, redis.newPrefix());
    const bytes = new Uint8Array([0, 255, 1, 254, 2]);
    const stored = await store.put(bytes, meta);
    assert.equal(stored.id, createHash('sha256').update(bytes).digest('hex'));
    assert.deepEqual(await store.get(stored.id), Buffer.from(bytes));
    assert.deepEqual(await store.meta(stored.id), stored);
    assert.deepEqual(await store.put(bytes, { ...meta, buildMs: 5 }), stored);
    assert.equal(await store.count(), 1);
    assert.equal(await new RedisPlanStore(connection, redis.newPrefix()).count(), 0);
    assert.equal(await store.get('f'.repeat(64)), undefined);
    assert.equal(await store.meta('nope'), undefined);
  });
});
