// A private redis-server per test file, on a free port, with nothing on disk; each test takes
// its own queue prefix so that tests sharing it never see each other's jobs.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { LocalRedis } from '../../bin/local-redis.js';

export interface TestRedis {
  url: string;
  newPrefix(): string;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-redis-'));
  const redis = await LocalRedis.start({ dir, persistent: false });
  let prefixes = 0;
  return {
    url: redis.url,
    newPrefix: () => `test${process.pid}n${++prefixes}`,
    async stop() {
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
