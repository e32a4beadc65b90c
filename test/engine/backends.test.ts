// backends(): what was compiled in, what each sees, and why one is unavailable.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../shared/engine/addon.js';

test('backends lists cpu (always available) and cuda/tensorrt with a reason when unavailable', () => {
  const all = engine.backends();
  assert.deepEqual(
    all.map((b) => b.name),
    ['cpu', 'cuda', 'tensorrt'],
  );
  const cpu = all[0];
  assert.equal(cpu.compiled, true);
  assert.equal(cpu.available, true);
  assert.equal(cpu.devices.length, 1);
  assert.ok(cpu.devices[0].name.length > 0);
  for (const b of all) {
    if (!b.compiled) assert.match(b.reason ?? '', /^built without /, b.name);
    if (!b.available) assert.ok((b.reason ?? '').length > 0, `${b.name} says why it is unavailable`);
    if (b.available) assert.ok(b.devices.length > 0, `${b.name} has a device`);
  }
});
