// The README's walkthrough block, run as written (bash, npx trtfarm, curl) against a started farm;
// only the address is the test farm's. The outputs it states in its comments are what it prints.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_URL = 'http://127.0.0.1:8080';

function walkthrough(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Walkthrough: the CLI'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the walkthrough has a sh block');
  return block;
}

describe("the README's walkthrough", () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f));

  it('runs verbatim and prints what its comments say', { timeout: 120_000 }, async () => {
    await farm.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(farm.app.server.address() as { port: number }).port}`;
    const block = walkthrough();
    const script = `set -euo pipefail\nexport TRTFARM_URL=${url}\n${block.replaceAll(DEFAULT_URL, url)}`;
    try {
      // Not spawnSync: the farm's API answers from this process's event loop.
      const child = spawn('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, TRTFARM_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const ran = { stdout: '', stderr: '', status: null as number | null };
      child.stdout.on('data', (chunk: Buffer) => (ran.stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (ran.stderr += chunk.toString()));
      ran.status = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(ran.status, 0, `${ran.stdout}\n${ran.stderr}`);
      const printed = ran.stdout.split('\n');
      const [worker] = (await farm.get('/v1/workers')).json();
      assert.ok(printed.some((line) => line.startsWith(worker.id)), 'workers lists the worker');
      for (const line of block.split('\n')) {
        const stated = /#\s*(\{.*\})\s*$/.exec(line)?.[1];
        if (stated) assert.ok(printed.includes(stated), `printed: ${stated}\n${ran.stdout}`);
      }
      const v2 = JSON.parse(printed.filter(Boolean).at(-1)!);
      assert.deepEqual(v2.outputs[0].data, [1770, -1770]);
      const plan = await farm.get(`/v1/plans/${v2.model_name}`);
      assert.equal(plan.statusCode, 200);
      assert.deepEqual(readFileSync(path.join(ROOT, 'seed.plan')), plan.rawPayload);
    } finally {
      rmSync(path.join(ROOT, 'seed.plan'), { force: true });
    }
  });
});
