// bin/worker-probe.ts, the workers' liveness/readiness probe: 0 while a worker of this host is
// announced in Redis, 1 with a reason once none is (not started, or its heartbeat expired).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function probe(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/worker-probe.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the worker probe', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f), { worker: false });

  it("fails before the worker is up, passes while its heartbeat is fresh, fails once it is dead", async () => {
    const env = { REDIS_URL: farm.config.redisUrl!, TRTFARM_QUEUE_PREFIX: farm.config.queuePrefix, TRTFARM_HEARTBEAT_MS: '300' };
    const before = await probe(env);
    assert.equal(before.code, 1);
    assert.match(before.stderr, /^trtfarm probe: no live worker of host .* is announced/);

    const worker = await farm.spawnWorker();
    const up = await probe(env);
    assert.equal(up.code, 0, up.stderr);
    const [record] = (await farm.get('/v1/workers')).json();
    assert.equal(up.stdout.trim(), record.id);

    worker.process.kill('SIGKILL');
    await farm.waitForWorkers(0, 5_000);
    assert.equal((await probe(env)).code, 1);
    const unreachable = await probe({ ...env, REDIS_URL: 'redis://127.0.0.1:9' });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^trtfarm probe: /);
  });
});
