// npm run bench:cpu — the cpu backend against onnxruntime-node on the same MLP (4 fully connected
// layers of 1024 with bias and ReLU, fp32), in one process, interleaved in blocks so that both
// see the same machine load. Prints the table and appends it to bench/results-cpu.md.
import { appendFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { engine as addon } from '../shared/engine/addon.js';
import { mlpNetwork, mlpOnnx, randomMlp } from '../test/helpers/onnx-model.js';

const WIDTH = 1024;
const LAYERS = 4;
const BATCHES = [1, 16, 256];
const MAX_BATCH = Math.max(...BATCHES);
// Runs per side after warm-up: about a second of work per batch size on a 2-core machine.
const RUNS: Record<number, number> = { 1: 400, 16: 200, 256: 40 };
const BLOCK: Record<number, number> = { 1: 20, 16: 20, 256: 4 };
const DISCARDED = 2;
const PAUSE_MS = 100;
const WARMUP = 10;

// Both sides get the same thread count: the cpu backend's pool size (TRTFARM_CPU_THREADS, read when
// its pool starts) and onnxruntime's intra-op threads.
const threads = Number(process.env.TRTFARM_CPU_THREADS ?? os.availableParallelism());
process.env.TRTFARM_CPU_THREADS = String(threads);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const mlp = randomMlp(WIDTH, Array(LAYERS).fill(WIDTH), 'relu');
const built = await addon.build(mlpNetwork(mlp), {
  precision: 'fp32',
  backend: 'cpu',
  profile: { x: { min: [1, WIDTH], opt: [16, WIDTH], max: [MAX_BATCH, WIDTH] } },
});
const ours = await addon.loadEngine(built.plan);
const session = await ort.InferenceSession.create(mlpOnnx(mlp), {
  executionProviders: ['cpu'],
  intraOpNumThreads: threads,
  interOpNumThreads: 1,
});

const rows: { batch: number; oursMs: number; ortMs: number; ratio: number; maxDiff: number }[] = [];
for (const batch of BATCHES) {
  const data = Float32Array.from({ length: batch * WIDTH }, () => Math.random() * 2 - 1);
  const runOurs = () => ours.infer({ x: { shape: [batch, WIDTH], data } });
  const runOrt = () => session.run({ x: new ort.Tensor('float32', data, [batch, WIDTH]) });

  // Both compute the same function, or the timing means nothing.
  const a = (await runOurs()).y.data;
  const b = (await runOrt()).y.data as Float32Array;
  let maxDiff = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  if (a.length !== b.length || maxDiff > 1e-4 * scale) throw new Error(`outputs differ at batch ${batch}: max |diff| ${maxDiff}`);

  for (let i = 0; i < WARMUP; i++) {
    await runOurs();
    await runOrt();
  }
  // Interleaved in blocks rather than run by run: both thread pools spin for a while after a
  // run (onnxruntime's for about 30 ms by default, ours for 200 µs), and on a small machine one
  // side's spinning threads steal the cores that the other needs. So each block starts after a
  // pause that lets the other side's threads go to sleep, and its first runs (threads waking,
  // caches refilling) are not counted.
  const oursTimes: number[] = [];
  const ortTimes: number[] = [];
  const block = BLOCK[batch];
  const runBlock = async (run: () => Promise<unknown>, times: number[]) => {
    await sleep(PAUSE_MS);
    for (let i = 0; i < DISCARDED; i++) await run();
    for (let i = 0; i < block; i++) times.push(await timeMs(run));
  };
  for (let b = 0; b < RUNS[batch] / block; b++) {
    // Alternate who goes first, so that neither always follows the other's cache traffic.
    if (b % 2 === 0) {
      await runBlock(runOurs, oursTimes);
      await runBlock(runOrt, ortTimes);
    } else {
      await runBlock(runOrt, ortTimes);
      await runBlock(runOurs, oursTimes);
    }
  }
  const oursMs = median(oursTimes);
  const ortMs = median(ortTimes);
  rows.push({ batch, oursMs, ortMs, ratio: oursMs / ortMs, maxDiff });
}
ours.dispose();
await session.release();

const cpu = addon.backends().find((backend) => backend.name === 'cpu');
const machine = `${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.availableParallelism()} logical cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
const header = '| batch | trtfarm cpu (ms) | onnxruntime (ms) | ratio (ours / ort) | max abs diff |';
const table = [
  header,
  '| ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.batch} | ${r.oursMs.toFixed(3)} | ${r.ortMs.toFixed(3)} | ${r.ratio.toFixed(2)} | ${r.maxDiff.toExponential(1)} |`),
].join('\n');
const details = [
  `MLP: ${LAYERS} × fullyConnected ${WIDTH}→${WIDTH} + bias + ReLU, fp32, one plan with batch profile 1..${MAX_BATCH}.`,
  `Machine: ${machine}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
  `trtfarm: ${cpu?.version ?? 'cpu backend'}, ${threads} threads. onnxruntime-node ${ort.env.versions.common}, CPU EP, intraOpNumThreads ${threads}.`,
  `Median of ${Object.entries(RUNS).map(([b, n]) => `${n} (batch ${b})`).join(', ')} runs each after ${WARMUP} warm-up runs, interleaved in one process in blocks of ${Object.values(BLOCK).join('/')} counted runs, each after a ${PAUSE_MS} ms pause and ${DISCARDED} uncounted runs; times are infer() → promise resolved, as a caller sees them.`,
].join('\n');

console.log(table);
console.log(details);
const stamp = new Date().toISOString().replace('T', ' ').slice(0, 16);
appendFileSync(fileURLToPath(new URL('./results-cpu.md', import.meta.url)), `\n## ${stamp} UTC\n\n${details}\n\n${table}\n`);
