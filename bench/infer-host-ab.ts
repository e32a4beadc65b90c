// Engine.infer() host to host on the cpu backend, two builds of the addon in one process, in
// alternating blocks so that both see the same machine load: what the host path itself costs,
// on a network that is one ReLU over [batch, 4096] (almost no compute, 16 KiB in and out a row).
// Appends its table to bench/results-host-cpu.md.
//   npx tsx bench/infer-host-ab.ts BEFORE.node AFTER.node   (e.g. a copy of native/build/Release/trtfarm.node
//   built from an earlier commit, then the current one)
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { resolve } from 'node:path';
import type { Engine, EngineAddon } from '../shared/engine/types.js';
import type { NetworkSpec } from '../shared/network/spec.js';
import { randomData, seededRng } from '../test/helpers/random-network.js';

const WIDTH = 4096;
const BATCHES = [1, 16, 256, 1024];
const ROUNDS = 6;
const WARMUP = 5;
// Rows per block and side: about the same bytes whatever the batch.
const ROWS_PER_BLOCK = 25_000;

const paths = process.argv.slice(2);
if (paths.length !== 2) throw new Error('usage: npx tsx bench/infer-host-ab.ts BEFORE.node AFTER.node');
const network: NetworkSpec = {
  inputs: [{ name: 'x', shape: [-1, WIDTH] }],
  layers: [{ name: 'y', type: 'activation', kind: 'relu' }],
};
const profile = { x: { min: [1, WIDTH], opt: [1, WIDTH], max: [Math.max(...BATCHES), WIDTH] } };
const engines: Engine[] = [];
for (const path of paths) {
  const addon = createRequire(import.meta.url)(resolve(path)) as EngineAddon;
  const { plan } = await addon.build(network, { precision: 'fp32', backend: 'cpu', profile });
  engines.push(await addon.loadEngine(plan));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rng = seededRng(5);
// Per side and batch: the median µs of each block.
const blocks = engines.map(() => new Map<number, number[]>());
for (let round = 0; round < ROUNDS; round++)
  for (const batch of BATCHES) {
    const x = { shape: [batch, WIDTH], data: randomData(rng, batch * WIDTH) };
    const calls = Math.max(10, Math.floor(ROWS_PER_BLOCK / batch));
    for (const side of round % 2 ? [0, 1] : [1, 0]) {
      const times: number[] = [];
      for (let i = 0; i < WARMUP + calls; i++) {
        const start = performance.now();
        await engines[side].infer({ x });
        if (i >= WARMUP) times.push((performance.now() - start) * 1e3);
      }
      blocks[side].set(batch, [...(blocks[side].get(batch) ?? []), median(times)]);
    }
  }
for (const e of engines) e.dispose();

const threads = process.env.TRTFARM_CPU_THREADS ?? 'all cores';
const lines = [
  '',
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.cpus()[0]?.model}, ${os.cpus().length} threads (TRTFARM_CPU_THREADS: ${threads})`,
  '',
  `command: \`npx tsx bench/infer-host-ab.ts ${paths.join(' ')}\`; one ReLU over [batch, ${WIDTH}], fp32; µs = median over ${ROUNDS} alternating blocks of each block's median call`,
  '',
  '| batch | before µs | after µs | after / before |',
  '|---:|---:|---:|---:|',
  ...BATCHES.map((b) => {
    const [before, after] = blocks.map((m) => median(m.get(b)!));
    return `| ${b} | ${before.toFixed(1)} | ${after.toFixed(1)} | ${(after / before).toFixed(2)} |`;
  }),
];
console.log(lines.join('\n'));
appendFileSync(new URL('./results-host-cpu.md', import.meta.url), lines.join('\n') + '\n');
