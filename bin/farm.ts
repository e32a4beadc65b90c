// `npm start`: the whole farm on one machine — a private redis-server when REDIS_URL is unset,
// one worker per visible GPU (one cpu worker when there is none), and the API. Prints one line
// with the API URL when everything is ready; Ctrl-C / SIGTERM stops the workers (gracefully),
// then the API, then Redis.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '../shared/config.js';
import { LocalRedis } from '../shared/queue/local-redis.js';
import { SupervisedProcess } from './supervised-process.js';

const config = loadConfig();

// `npm install && npm start` on a fresh clone: the addon is built on the first start (its
// output on stderr: stdout carries only the ready line).
// The file shared/engine/addon.ts loads (importing it throws while the file is missing).
const addon = fileURLToPath(new URL('../native/build/Release/trtfarm.node', import.meta.url));
if (!existsSync(addon)) {
  process.stderr.write('trtfarm: building the native addon (first start)…\n');
  const built = spawnSync('npm', ['run', '--silent', 'build:native'], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    process.stderr.write('trtfarm: building the native addon failed (it needs cmake and a C++17 compiler)\n');
    process.exit(1);
  }
}
const { engine } = await import('../shared/engine/addon.js');
const logDir = path.join(config.dataDir, 'logs');
await mkdir(logDir, { recursive: true });

let redis: LocalRedis | undefined;
if (!config.redisUrl) {
  try {
    redis = await LocalRedis.start({ dir: path.join(config.dataDir, 'redis'), persistent: true, ownProcessGroup: true });
  } catch (error) {
    process.stderr.write(`trtfarm: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
const env = { ...process.env, REDIS_URL: config.redisUrl ?? redis!.url, TRTFARM_DATA_DIR: config.dataDir };

const gpus = [
  ...new Set(
    engine
      .backends()
      .filter((backend) => backend.name !== 'cpu' && backend.available)
      .flatMap((backend) => backend.devices.map((device) => device.index)),
  ),
].sort((a, b) => a - b);
const devices = gpus.length > 0 ? gpus.map(String) : ['cpu'];

const workers = devices.map(
  (device) => new SupervisedProcess(`worker ${device}`, ['worker/main.ts', '--device', device], env, path.join(logDir, `worker-${device}.log`)),
);
const api = new SupervisedProcess('api', ['api/server.ts'], env, path.join(logDir, 'api.log'));

let stopping = false;
async function stopAll(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await Promise.all(workers.map((worker) => worker.stop()));
    await api.stop();
    await redis?.stop();
  }
  process.exit(exitCode);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
// Last resort if the supervisor itself dies: no orphaned children (they have their own groups).
process.on('exit', () => [...workers, api].forEach((child) => child.kill()));

try {
  const [apiLine] = await Promise.all([api.started('trtfarm API listening on'), ...workers.map((w) => w.started('"msg":"worker ready"'))]);
  const url = apiLine.slice(apiLine.indexOf('http'));
  process.stdout.write(`trtfarm ready at ${url} (workers: ${devices.join(', ')}; logs in ${logDir})\n`);
} catch (error) {
  process.stderr.write(`trtfarm: ${(error as Error).message}\n`);
  await stopAll(1);
}

for (const child of [api, ...workers]) {
  void child.exited.then((code) => {
    if (stopping) return;
    process.stderr.write(`trtfarm: ${child.name} exited (${code}); stopping. Its last output:\n${child.tail}\n`);
    void stopAll(1);
  });
}
