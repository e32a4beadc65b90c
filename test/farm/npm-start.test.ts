// `npm start` (bin/farm.ts) as a user runs it: one line with the URL, the seed through real
// HTTP, and a clean stop on SIGTERM that leaves Redis's AOF behind; a killed worker restarted;
// without redis-server on PATH it installs it (root on Debian) or says in one line how to.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

import { describeHost, installRefusal } from '../../bin/host-packages.js';
import { pathWithout } from '../ops/path-without.js';
import { seedFullyConnected, seedInput } from './seed.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function startFarm(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/farm.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

// Until the one ready line is printed; fails if the farm exits first or takes over a minute.
async function untilReady(farm: ReturnType<typeof startFarm>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!farm.output().stdout.includes('\n')) {
    assert.ok(Date.now() < deadline && farm.child.exitCode === null, `not ready: ${JSON.stringify(farm.output())}`);
    await sleep(100);
  }
}

describe('npm start', () => {
  it('starts redis, a cpu worker and the API, serves the seed, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-start-'));
    const { REDIS_URL: _ignored, ...env } = process.env;
    const farm = startFarm({ ...env, PORT: '0', TRTFARM_DATA_DIR: dataDir });
    try {
      await untilReady(farm);
      const lines = farm.output().stdout.trim().split('\n');
      assert.equal(lines.length, 1);
      const url = lines[0].match(/http:\/\/[\d.]+:\d+/)?.[0];
      assert.ok(url, lines[0]);

      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      const post = (route: string, body: unknown) =>
        fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const { id } = await (await post('/v1/builds', seedFullyConnected)).json();
      let plan: string | undefined;
      while (!plan) {
        plan = (await (await fetch(`${url}/v1/builds/${id}`)).json()).plan?.id;
        await sleep(50);
      }
      const answer = await (await post('/v1/infer?wait=10000', { plan, inputs: { x: seedInput } })).json();
      assert.deepEqual(answer.outputs.fc.data, [1770, -1770]);

      // Twice, as Ctrl-C reaches npm, tsx and the farm: the second waits for the first stop.
      farm.child.kill('SIGTERM');
      farm.child.kill('SIGTERM');
      assert.equal(await farm.exited, 0, farm.output().stderr);
      assert.ok((await readdir(path.join(dataDir, 'redis', 'appendonlydir'))).some((name) => name.endsWith('.aof')));
      assert.ok(existsSync(path.join(dataDir, 'logs', 'worker-cpu.log')));
      // Every child is gone: the API's port no longer answers, nor Redis's.
      await assert.rejects(fetch(`${url}/healthz`));
      const redisPort = Number(lines[0].match(/redis redis:\/\/[\d.]+:(\d+)/)?.[1]);
      assert.ok(redisPort > 0, lines[0]);
      await assert.rejects(
        new Promise((resolve, reject) => connect(redisPort, '127.0.0.1').once('connect', resolve).once('error', reject)),
        'redis-server was stopped',
      );
    } finally {
      farm.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stops with exit code 1 and says so when its redis-server dies', { timeout: 90_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-start-'));
    const { REDIS_URL: _ignored, ...env } = process.env;
    const farm = startFarm({ ...env, PORT: '0', TRTFARM_DATA_DIR: dataDir });
    try {
      await untilReady(farm);
      const redisUrl = farm.output().stdout.match(/redis (redis:\/\/[\d.]+:\d+)/)?.[1];
      assert.ok(redisUrl, farm.output().stdout);
      const client = new Redis(redisUrl);
      const pid = Number((await client.info('server')).match(/process_id:(\d+)/)?.[1]);
      client.disconnect();
      assert.ok(pid > 0);
      process.kill(pid, 'SIGKILL');
      assert.equal(await farm.exited, 1, farm.output().stderr);
      assert.match(farm.output().stderr, new RegExp(`trtfarm: redis-server \\(${redisUrl}\\) exited; stopping`));
      const url = farm.output().stdout.match(/http:\/\/[\d.]+:\d+/)?.[0];
      await assert.rejects(fetch(`${url}/healthz`), 'the API was stopped too');
    } finally {
      farm.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('restarts a SIGKILLed worker while the API keeps answering, and builds with the new one', { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-start-'));
    const { REDIS_URL: _ignored, ...env } = process.env;
    const farm = startFarm({ ...env, PORT: '0', TRTFARM_DATA_DIR: dataDir });
    try {
      await untilReady(farm);
      const url = farm.output().stdout.match(/http:\/\/[\d.]+:\d+/)?.[0];
      assert.ok(url, farm.output().stdout);
      const workers = async (): Promise<{ pid: number }[]> => (await fetch(`${url}/v1/workers`)).json();
      const [first] = await workers();
      assert.ok(first?.pid > 0);
      process.kill(first.pid, 'SIGKILL');

      // Meanwhile the API answers every poll, until a worker of another pid is live.
      let replaced = false;
      const deadline = Date.now() + 60_000;
      while (!replaced) {
        assert.ok(Date.now() < deadline, `no new worker: ${farm.output().stderr}`);
        assert.equal((await fetch(`${url}/healthz`)).status, 200);
        replaced = (await workers()).some((worker) => worker.pid !== first.pid);
        await sleep(100);
      }
      assert.equal(farm.child.exitCode, null, 'the farm is still running');
      assert.match(farm.output().stderr, /trtfarm: worker cpu died \(killed by SIGKILL\); restarting it in 1 s/);

      // A build the farm has not seen (its own weights) completes on the new worker.
      const request = structuredClone(seedFullyConnected);
      request.network.layers[0].bias = [1, -1];
      const posted = await fetch(`${url}/v1/builds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      assert.equal(posted.status, 202);
      const { id } = await posted.json();
      let status = 'queued';
      while (status !== 'completed') {
        assert.ok(Date.now() < deadline && status !== 'failed', `build ${status}`);
        status = (await (await fetch(`${url}/v1/builds/${id}`)).json()).status;
        await sleep(50);
      }
      farm.child.kill('SIGTERM');
      assert.equal(await farm.exited, 0, farm.output().stderr);
    } finally {
      farm.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says in one line how to install redis-server where it is not on PATH and cannot be installed, and exits 1', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-start-'));
    const { REDIS_URL: _ignored, ...env } = process.env;
    const withoutRedis = await pathWithout((name) => name.startsWith('redis-'));
    try {
      for (const [searchPath, extra, reason] of [
        ['/nonexistent', {}, /not a Debian\/Ubuntu system with apt-get/],
        [withoutRedis.path, { TRTFARM_AUTO_INSTALL: '0' }, /installing is turned off \(TRTFARM_AUTO_INSTALL=0\)/],
      ] as const) {
        const farm = startFarm({ ...env, ...extra, PATH: searchPath, TRTFARM_DATA_DIR: dataDir });
        assert.equal(await farm.exited, 1);
        const { stdout, stderr } = farm.output();
        assert.equal(stdout, '');
        assert.match(stderr, /^trtfarm: redis-server not found on PATH and not installed: [^\n]*apt-get install -y redis-server[^\n]*REDIS_URL[^\n]*\n$/);
        assert.match(stderr, reason);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
      await rm(withoutRedis.dir, { recursive: true, force: true });
    }
  });

  const installable = installRefusal(describeHost(process.env.PATH ?? ''), true) === undefined;
  it('installs redis-server itself (apt-get, root on Debian) when PATH lacks it, then starts', { skip: !installable && 'not root on Debian/Ubuntu with apt-get', timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-start-'));
    const { REDIS_URL: _ignored, ...env } = process.env;
    const withoutRedis = await pathWithout((name) => name.startsWith('redis-'));
    const farm = startFarm({ ...env, PATH: withoutRedis.path, PORT: '0', TRTFARM_DATA_DIR: dataDir });
    try {
      await untilReady(farm, 280_000);
      assert.match(farm.output().stderr, /trtfarm: installing redis-server with apt-get \(not found on PATH\)/);
      const url = farm.output().stdout.match(/http:\/\/[\d.]+:\d+/)?.[0];
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      farm.child.kill('SIGTERM');
      assert.equal(await farm.exited, 0, farm.output().stderr);
    } finally {
      farm.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      await rm(withoutRedis.dir, { recursive: true, force: true });
    }
  });
});
