// Builds and inference run off the JS thread: a timer keeps firing while a big one is awaited.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine } from '../../shared/engine/addon.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { randomData, seededRng } from '../helpers/random-network.js';

const WIDTH = 1536;
const DEPTH = 3;

function bigMlp(): NetworkSpec {
  const rng = seededRng(42);
  return {
    inputs: [{ name: 'x', shape: [-1, WIDTH] }],
    layers: Array.from({ length: DEPTH }, (_, i) => ({
      name: `fc${i}`,
      type: 'fullyConnected' as const,
      outputs: WIDTH,
      weights: randomData(rng, WIDTH * WIDTH, 1 / Math.sqrt(WIDTH)),
    })),
  };
}

// Runs `work` while a 2 ms interval ticks; returns the ticks and the elapsed time.
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; ms: number; result: T }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  const start = performance.now();
  try {
    const result = await work();
    return { ticks, ms: performance.now() - start, result };
  } finally {
    clearInterval(timer);
  }
}

test('the event loop keeps ticking during a big build and a big inference', async () => {
  const network = bigMlp();
  const profile = { x: { min: [1, WIDTH], opt: [256, WIDTH], max: [512, WIDTH] } };
  const build = await ticksDuring(() => engine.build(network, { precision: 'fp16', backend: 'cpu', profile }));
  const e = await engine.loadEngine(build.result.plan);
  const batch = 512;
  const x = { shape: [batch, WIDTH], data: randomData(seededRng(1), batch * WIDTH) };
  // Enough inferences for about 200 ms, sized from one timed run, so that a fast host still
  // gives the timer time to tick.
  const first = performance.now();
  await e.infer({ x });
  const runs = Math.max(1, Math.ceil(200 / (performance.now() - first)));
  const infer = await ticksDuring(async () => {
    for (let i = 0; i < runs; i++) await e.infer({ x });
  });
  e.dispose();
  for (const [what, run] of [['build', build], ['infer', infer]] as const) {
    // A blocked loop would tick about once; a free one ticks every few milliseconds.
    assert.ok(run.ticks >= Math.min(20, run.ms / 10), `${what}: ${run.ticks} ticks in ${run.ms.toFixed(0)} ms`);
  }
  assert.ok(infer.ms > 40, `the inferences are long enough to tell (${runs} took ${infer.ms.toFixed(0)} ms)`);
});
