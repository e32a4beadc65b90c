import type { Redis } from 'ioredis';
import path from 'node:path';

import type { FarmConfig } from '../config.js';
import { FsPlanStore } from './fs-plan-store.js';
import type { PlanStore } from './plan-store.js';
import { RedisPlanStore } from './redis-plan-store.js';

// The store TRTFARM_PLAN_STORE names: the data dir (default) or the farm's Redis.
export function openPlanStore(config: FarmConfig, redis: Redis): PlanStore {
  return config.planStore === 'redis'
    ? new RedisPlanStore(redis, config.queuePrefix)
    : new FsPlanStore(path.join(config.dataDir, 'plans'));
}
