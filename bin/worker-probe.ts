// A worker's liveness and readiness probe (Kubernetes exec, compose healthcheck): exit 0 while a
// worker of this host (the pod, the container) is announced in Redis, i.e. its heartbeat is
// fresh; 1 with one line saying why not. Workers have no HTTP port: their heartbeat is what
// says they run and reach Redis.
import os from 'node:os';
import { Redis } from 'ioredis';

import { loadConfigOrExit } from '../shared/config.js';
import { WorkerDirectory } from '../shared/queue/worker-directory.js';

const config = loadConfigOrExit();
if (!config.redisUrl) {
  process.stderr.write('trtfarm probe: REDIS_URL is not set\n');
  process.exit(1);
}
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true });
redis.on('error', () => {}); // reported below
try {
  await redis.connect();
  const host = os.hostname();
  const mine = (await new WorkerDirectory(redis, config.queuePrefix).live()).filter((worker) => worker.host === host);
  if (mine.length === 0) throw new Error(`no live worker of host ${host} is announced (heartbeat expired, or not started yet)`);
  process.stdout.write(`${mine.map((worker) => worker.id).join(' ')}\n`);
} catch (error) {
  process.stderr.write(`trtfarm probe: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
}
