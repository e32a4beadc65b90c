// Settings are checked at start: a bad value stops the process with a message naming the
// variable, including TRTFARM_CPU_THREADS, which only the C++ cpu backend reads (and would
// otherwise silently replace by the core count).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '../../shared/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('configuration', () => {
  for (const value of ['0', '-2', '1025', '2.5', 'four', '']) {
    it(`refuses TRTFARM_CPU_THREADS=${JSON.stringify(value)}, naming it`, () => {
      assert.throws(() => loadConfig({ TRTFARM_CPU_THREADS: value }), /^Error: invalid configuration: TRTFARM_CPU_THREADS: /);
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
        assert.throws(() => loadConfig({ [name]: value }), new RegExp(`^Error: invalid configuration: ${name}: `));
      });
    for (const value of good)
      it(`accepts ${name}=${value}`, () => {
        assert.doesNotThrow(() => loadConfig({ [name]: value }));
      });
  }

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
});
