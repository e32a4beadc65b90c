// The engine's side of bench/gpu/host.sh: Engine.infer() from Node, fp32 host arrays in and out,
// on the MLP of issue 7 (LAYERS × fullyConnected HIDDEN→HIDDEN + bias + ReLU), per precision and
// batch: the median time of one call at a time, and rows/s with several calls in flight, on cuda
// once per way of copying (TRTFARM_CUDA_HOST_IO, set before each load). Appends one JSON line per
// measurement to --out.
//   npx tsx bench/gpu/host.ts --out FILE [--backend cuda|cpu] [--hidden 4096] [--precisions fp32,tf32,fp16,bf16]
//     [--batches 1,8,64,256,1024,4096] [--concurrency 4,16] [--concurrent-batches 1,64] [--modes staged,pageable,registered]
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { engine as addon } from '../../shared/engine/addon.js';
import type { Engine, Tensor } from '../../shared/engine/types.js';
import type { BackendName, Precision } from '../../shared/network/spec.js';
import { mlpNetwork, randomMlp } from '../../test/helpers/onnx-model.js';
import { randomData, seededRng } from '../../test/helpers/random-network.js';

const LAYERS = 4;
// Measured time per configuration after warm-up, and the fewest calls that make a median.
const BUDGET_MS = 1500;
const MIN_CALLS = 10;
const WARMUP = 5;

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    backend: { type: 'string', default: 'cuda' },
    hidden: { type: 'string', default: '4096' },
    precisions: { type: 'string', default: 'fp32,tf32,fp16,bf16' },
    batches: { type: 'string', default: '1,8,64,256,1024,4096' },
    concurrency: { type: 'string', default: '4,16' },
    'concurrent-batches': { type: 'string', default: '1,64' },
    modes: { type: 'string', default: 'staged,pageable,registered' },
  },
});
if (!args.out) throw new Error('--out FILE is required');
const numbers = (text: string) => text.split(',').filter(Boolean).map(Number);
const hidden = Number(args.hidden);
const batches = numbers(args.batches!);
const maxBatch = Math.max(...batches, ...numbers(args['concurrent-batches']!));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const nowUs = () => Number(process.hrtime.bigint()) / 1e3;

type Infer = (inputs: Record<string, Tensor>) => Promise<unknown>;

// Median µs of one call at a time, each on the same input array (as a server reusing a buffer).
async function sequential(infer: Infer, x: Tensor): Promise<{ us: number; calls: number }> {
  for (let i = 0; i < WARMUP; i++) await infer({ x });
  const times: number[] = [];
  const end = nowUs() + BUDGET_MS * 1e3;
  while (times.length < MIN_CALLS || nowUs() < end) {
    const start = nowUs();
    await infer({ x });
    times.push(nowUs() - start);
  }
  return { us: median(times), calls: times.length };
}

// Rows/s with `clients` callers each awaiting its own calls back to back, each on its own input.
async function concurrent(infer: Infer, xs: Tensor[]): Promise<{ rowsPerS: number; calls: number }> {
  await Promise.all(xs.map(async (x) => { for (let i = 0; i < WARMUP; i++) await infer({ x }); }));
  let calls = 0;
  const start = nowUs();
  const end = start + BUDGET_MS * 1e3;
  await Promise.all(
    xs.map(async (x) => {
      while (nowUs() < end) {
        await infer({ x });
        calls++;
      }
    }),
  );
  return { rowsPerS: (calls * xs[0].shape[0]) / ((nowUs() - start) / 1e6), calls };
}

const network = mlpNetwork(randomMlp(hidden, Array(LAYERS).fill(hidden), 'relu'));
const rng = seededRng(8);
const input = (batch: number): Tensor => ({ shape: [batch, hidden], data: randomData(rng, batch * hidden) });
const line = (row: object) =>
  appendFileSync(args.out!, JSON.stringify({ kind: 'engine', hidden, ...row }) + '\n');
// The cpu backend has one way to read and write host memory.
const modes = args.backend === 'cuda' ? args.modes!.split(',') : ['in place'];

for (const precision of args.precisions!.split(',') as Precision[]) {
  const profile = { x: { min: [1, hidden], opt: [64, hidden], max: [maxBatch, hidden] } };
  const { plan } = await addon.build(network, { precision, backend: args.backend as BackendName, profile });
  for (const mode of modes) {
    if (args.backend === 'cuda') process.env.TRTFARM_CUDA_HOST_IO = mode;  // read by loadEngine
    await measure(precision, mode, await addon.loadEngine(plan));
  }
}

async function measure(precision: Precision, mode: string, e: Engine) {
  const infer: Infer = (inputs) => e.infer(inputs);
  for (const batch of batches) {
    const { us, calls } = await sequential(infer, input(batch));
    line({ precision, mode, batch, concurrency: 1, us, rowsPerS: (batch * 1e6) / us, calls });
    console.log(`${precision} ${mode} batch ${batch}: ${us.toFixed(1)} us (${calls} calls)`);
  }
  for (const batch of numbers(args['concurrent-batches']!)) {
    for (const clients of numbers(args.concurrency!)) {
      const { rowsPerS, calls } = await concurrent(infer, Array.from({ length: clients }, () => input(batch)));
      line({ precision, mode, batch, concurrency: clients, rowsPerS, calls });
      console.log(`${precision} ${mode} batch ${batch} × ${clients} concurrent: ${rowsPerS.toFixed(0)} rows/s`);
    }
  }
  e.dispose();
}
