// The built addon loads in a fresh process (nothing cached from this one) and runs the seed.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SEED_EXPECTED } from '../helpers/seed.js';

test('a forked child process loads the addon and computes the seed', async () => {
  const child = fork(fileURLToPath(new URL('./fixtures/seed-child.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(child, 'message')) as [{ backends: string[]; fc: number[] }];
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
  assert.deepEqual(message.backends, ['cpu', 'cuda', 'tensorrt']);
  assert.deepEqual(message.fc, SEED_EXPECTED);
});
