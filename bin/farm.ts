// `npm start`: the whole farm on one machine — a private redis-server when REDIS_URL is unset,
// one worker per visible GPU (one cpu worker when there is none), and the API. Prints one line
// with the API URL when everything is ready; Ctrl-C / SIGTERM stops the workers (gracefully),
// then the API, then Redis. A worker that dies is restarted; the API's or Redis's death stops all.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';

import { loadConfigOrExit } from '../shared/config.js';
import { addonPath } from '../shared/engine/addon-path.js';
import { ensureCommands, HostPackageError } from './host-packages.js';
import { LocalRedis } from './local-redis.js';
import { SupervisedProcess, type RestartPolicy } from './supervised-process.js';

const config = loadConfigOrExit();

// Whatever has been started so far, stopped in order by the first signal or failure; signals
// are handled from the start, so no stage can be left running (Redis and the children have
// their own process groups and would outlive an abruptly killed supervisor).
let redisStart: Promise<LocalRedis | undefined> = Promise.resolve(undefined);
let workers: SupervisedProcess[] = [];
let api: SupervisedProcess | undefined;
let stopping: Promise<void> | undefined;

function stopAll(exitCode: number): Promise<never> {
  // A second signal (Ctrl-C reaches npm, tsx and this process) waits for the first stop.
  stopping ??= (async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await api?.stop();
    await (await redisStart.catch(() => undefined))?.stop();
  })();
  return stopping.then(() => process.exit(exitCode));
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
process.on('exit', () => [...workers, ...(api ? [api] : [])].forEach((child) => child.kill()));

async function fail(message: string): Promise<never> {
  process.stderr.write(`trtfarm: ${message}\n`);
  return stopAll(1);
}

// On a fresh machine: what the addon build and the private Redis need, installed where possible.
let redisBinary: string | undefined;
try {
  const needed = [...(existsSync(addonPath) ? [] : ['cmake', 'g++', 'make']), ...(config.redisUrl ? [] : ['redis-server'])];
  const log = (line: string) => process.stderr.write(`${line}\n`);
  redisBinary = ensureCommands(needed, { searchPath: process.env.PATH ?? '', allowInstall: config.autoInstall, log })['redis-server'];
} catch (error) {
  if (!(error instanceof HostPackageError)) throw error;
  await fail(error.message);
}

// `npm install && npm start` on a fresh clone: the addon is built on the first start (its
// output on stderr: stdout carries only the ready line).
if (!existsSync(addonPath)) {
  process.stderr.write('trtfarm: building the native addon (first start)…\n');
  const built = spawnSync('npm', ['run', '--silent', 'build:native'], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) await fail('building the native addon failed (it needs cmake and a C++17 compiler)');
}
const { engine } = await import('../shared/engine/addon.js');
const logDir = path.join(config.dataDir, 'logs');
await mkdir(logDir, { recursive: true });

if (!config.redisUrl) {
  redisStart = LocalRedis.start({ dir: path.join(config.dataDir, 'redis'), persistent: config.redisAof, ownProcessGroup: true, binary: redisBinary });
}
const redis = await redisStart.catch((error: Error) => fail(error.message));
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

if (!stopping) {
  // A worker that dies (a GPU fault, an out-of-memory kill) is started again while the API goes
  // on answering; its jobs are taken over as stalled. The API and Redis are not restarted: the
  // API's death (or Redis's, below) stops the farm.
  const restart = (name: string): RestartPolicy => ({
    firstDelayMs: 1_000,
    maxDelayMs: 30_000,
    healthyAfterMs: 60_000,
    onRestart: (exit, delayMs) => process.stderr.write(`trtfarm: ${name} died (${exit}); restarting it in ${delayMs / 1000} s\n`),
  });
  // libuv's pool (4 threads unless told) is where the addon's builds and inferences run: as many
  // threads as inference jobs a worker takes at once, plus its build, so none waits for a thread.
  const workerEnv = { ...env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? String(config.inferConcurrency + 1) };
  workers = devices.map((device) => {
    const name = `worker ${device}`;
    return new SupervisedProcess(name, ['worker/main.ts', '--device', device], workerEnv, path.join(logDir, `worker-${device}.log`), restart(name));
  });
  api = new SupervisedProcess('api', ['api/server.ts'], env, path.join(logDir, 'api.log'));
  const started = api;
  try {
    const [apiLine] = await Promise.all([started.started('trtfarm API listening on'), ...workers.map((w) => w.started('"msg":"worker ready"'))]);
    const url = apiLine.slice(apiLine.indexOf('http'));
    process.stdout.write(`trtfarm ready at ${url} (redis ${env.REDIS_URL}, workers: ${devices.join(', ')}; logs in ${logDir})\n`);
  } catch (error) {
    if (!stopping) await fail((error as Error).message);
  }
  for (const child of [started, ...workers]) {
    void child.exited.then((code) => {
      if (!stopping) void fail(`${child.name} exited (${code}); stopping. Its last output:\n${child.tail}`);
    });
  }
  if (redis) watchRedis(redis.url);
}

// LocalRedis keeps its child to itself: the private redis-server's death is seen as the end of
// a connection to it that is never re-established (nothing else closes it: no idle timeout).
// The children are killed, not stopped: without Redis a worker can neither finish its active
// jobs nor leave (its graceful stop waits for Redis forever); those jobs are taken over as
// stalled when the farm starts again on the same AOF.
function watchRedis(url: string): void {
  const connection = new Redis(url, { retryStrategy: () => null, maxRetriesPerRequest: 0 });
  connection.on('error', () => {}); // the end, below, is what counts
  connection.once('end', () => {
    if (stopping) return;
    [...workers, ...(api ? [api] : [])].forEach((child) => child.kill());
    void fail(`redis-server (${url}) exited; stopping`);
  });
}
