// One describe()'s farm: its own redis-server and API (and an in-process cpu worker unless
// { worker: false }), started before the suite's tests, stopped after them with Redis emptied.
import { after, before } from 'node:test';

import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { TestFarm } from './test-farm.js';

// `env`: settings for the API and its in-process worker (e.g. TRTFARM_TEST_BUILD_DELAY_MS).
export function farmForSuite(use: (farm: TestFarm) => void, options: { worker?: boolean; env?: Record<string, string> } = {}): void {
  let redis: TestRedis;
  let farm: TestFarm;
  before(async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis, options.env);
    if (options.worker !== false) await farm.startWorker();
    use(farm);
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
  });
}
