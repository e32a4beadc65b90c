// The fleet-wide timing cache (cuda autotuning winners per device class, in Redis): entries
// round-trip per compatKey, apart from other classes; a cpu build (no autotuning) stores none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { farmKeys } from '../../shared/queue/names.js';
import { TimingCache } from '../../shared/queue/timing-cache.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

describe('the fleet-wide timing cache', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  it('keeps winners per device class, the last write of an entry standing', async () => {
    const cache = new TimingCache(farm.app.farm.redis, farm.config.queuePrefix);
    const h200 = 'cuda:sm_90:cuda13.0:cublasLt130100';
    const a100 = 'cuda:sm_80:cuda13.0:cublasLt130100';
    await cache.write(h200, [
      { key: 'fc:4096x4096:fp16:b1-8', tactic: 'gemv:4' },
      { key: 'fc:4096x4096:fp16:b9-64', tactic: 'lt:17' },
    ]);
    await cache.write(a100, [{ key: 'fc:4096x4096:fp16:b1-8', tactic: 'lt:3' }]);
    await cache.write(h200, [{ key: 'fc:4096x4096:fp16:b1-8', tactic: 'gemv:2' }]);
    await cache.write(h200, []);
    const sorted = (entries: { key: string }[]) => [...entries].sort((x, y) => x.key.localeCompare(y.key));
    assert.deepEqual(sorted(await cache.read(h200)), [
      { key: 'fc:4096x4096:fp16:b1-8', tactic: 'gemv:2' },
      { key: 'fc:4096x4096:fp16:b9-64', tactic: 'lt:17' },
    ]);
    assert.deepEqual(await cache.read(a100), [{ key: 'fc:4096x4096:fp16:b1-8', tactic: 'lt:3' }]);
    assert.deepEqual(await cache.read('cuda:sm_100:other'), []);
  });

  it('stores nothing for a cpu build, whose result has no timing cache', async () => {
    const built = await farm.build({ network: { inputs: [{ name: 'x', shape: [1, 2] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 1, weights: [1, 2] }] }, backend: 'cpu', report: false });
    assert.equal(built.plan.report, undefined, 'report: false skips the report');
    assert.equal(built.plan.timingCacheHits, undefined);
    assert.equal(await farm.app.farm.redis.exists(farmKeys.timingCache(farm.config.queuePrefix, built.plan.compatKey)), 0);
    assert.deepEqual((await farm.app.farm.redis.keys(`${farm.config.queuePrefix}:timing-cache:*`)).filter((key) => !key.includes(':cuda:')), []);
  });
});
