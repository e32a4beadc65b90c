// Settings are checked at start: a bad value stops the process with one line naming the
// variable (no stack trace), including TRTFARM_CPU_THREADS, which only the C++ cpu backend
// reads (and would otherwise silently replace by the core count).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '../../shared/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function runEntryPoint(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => ((output += chunk.toString()), (stderr += chunk.toString())));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output, stderr };
}

describe('configuration', () => {
  for (const value of ['0', '-2', '1025', '2.5', 'four', '']) {
    it(`refuses TRTFARM_CPU_THREADS=${JSON.stringify(value)}, naming it`, () => {
      assert.throws(() => loadConfig({ TRTFARM_CPU_THREADS: value }), /^ConfigError: invalid configuration: TRTFARM_CPU_THREADS: /);
    });
  }

  for (const value of ['1', '8', '1024']) {
    it(`accepts TRTFARM_CPU_THREADS=${value}`, () => {
      assert.doesNotThrow(() => loadConfig({ TRTFARM_CPU_THREADS: value }));
    });
  }

  // Read by the cuda backend at each load: a bad value is refused at start, not at every load.
  for (const [name, bad, good] of [
    ['TRTFARM_CUDA_CONTEXTS', ['0', '65', '2.5', 'four'], ['1', '4', '64']],
    ['TRTFARM_CUDA_HOST_IO', ['zero-copy', 'Staged', ''], ['auto', 'staged', 'pageable', 'registered']],
  ] as const) {
    for (const value of bad)
      it(`refuses ${name}=${JSON.stringify(value)}, naming it`, () => {
        assert.throws(() => loadConfig({ [name]: value }), new RegExp(`^ConfigError: invalid configuration: ${name}: `));
      });
    for (const value of good)
      it(`accepts ${name}=${value}`, () => {
        assert.doesNotThrow(() => loadConfig({ [name]: value }));
      });
  }

  for (const value of ['yes', 'ON', ''])
    it(`refuses TRTFARM_REDIS_AOF=${JSON.stringify(value)}, naming it`, () => {
      assert.throws(() => loadConfig({ TRTFARM_REDIS_AOF: value }), /^ConfigError: invalid configuration: TRTFARM_REDIS_AOF: /);
    });

  it('keeps the private Redis\'s AOF on unless TRTFARM_REDIS_AOF=off', () => {
    assert.equal(loadConfig({}).redisAof, true);
    assert.equal(loadConfig({ TRTFARM_REDIS_AOF: 'on' }).redisAof, true);
    assert.equal(loadConfig({ TRTFARM_REDIS_AOF: 'off' }).redisAof, false);
  });

  it('accepts TRTFARM_CPU_THREADS unset (all cores)', () => {
    assert.doesNotThrow(() => loadConfig({}));
  });

  it('a worker started with TRTFARM_CPU_THREADS=0 exits 1 at once, saying why', { timeout: 30_000 }, async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts', '--device', 'cpu'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1', TRTFARM_CPU_THREADS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.after(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1, output);
    assert.match(output, /TRTFARM_CPU_THREADS/);
  });

  for (const [name, args] of [['the API', ['api/server.ts']], ['npm start', ['bin/farm.ts']], ['a worker', ['worker/main.ts', '--device', 'cpu']]] as const) {
    it(`${name} stops on a bad setting with one line naming the variable, and no stack trace`, { timeout: 30_000 }, async () => {
      const { code, stderr } = await runEntryPoint([...args], { REDIS_URL: 'redis://127.0.0.1:1', TRTFARM_MAX_PENDING_SYNC: 'many' });
      assert.equal(code, 1, stderr);
      assert.match(stderr, /^trtfarm: invalid configuration: TRTFARM_MAX_PENDING_SYNC: [^\n]+\n$/);
    });
  }

  it('reads TRTFARM_API_KEYS comma-separated or @file (one a line), and refuses an empty list or an unreadable file, naming it', async () => {
    assert.deepEqual(loadConfig({}).apiKeys, []);
    assert.deepEqual(loadConfig({ TRTFARM_API_KEYS: ' a1 , b2 ' }).apiKeys, ['a1', 'b2']);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-config-'));
    try {
      await writeFile(path.join(dir, 'keys'), 'first\r\n\nsecond\n');
      assert.deepEqual(loadConfig({ TRTFARM_API_KEYS: `@${path.join(dir, 'keys')}` }).apiKeys, ['first', 'second']);
      await writeFile(path.join(dir, 'empty'), '\n\n');
      assert.throws(() => loadConfig({ TRTFARM_API_KEYS: `@${path.join(dir, 'empty')}` }), /TRTFARM_API_KEYS: no key given/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.throws(() => loadConfig({ TRTFARM_API_KEYS: ' , ' }), /TRTFARM_API_KEYS: no key given/);
    assert.throws(() => loadConfig({ TRTFARM_API_KEYS: '@/nonexistent/keys' }), /TRTFARM_API_KEYS: cannot read \/nonexistent\/keys \(ENOENT\)/);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise, keys or none', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({ TRTFARM_API_KEYS: 'k' }).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
  });
});
