// The report every plan carries (PlanMeta.report), measured on the worker that built it right
// after the build: Engine.infer timed host to host at the profile's min, opt and max batch, and
// the outputs at the min batch against the float64 evaluation of the same network, on fresh
// random inputs. Under a time budget, so that a sweep's reports do not cost more than its builds:
// each batch gets REPORT_BUDGET_MS / batches of timed runs, and more up to MIN_RUNS while they fit in
// POINT_CAP_MS (so that p50 and p90 are order statistics of a real sample, and p99 its largest
// value), at most MAX_RUNS; a plan too slow for that still gets FLOOR_RUNS, as long as they take.
import type { Engine, Tensor } from '../shared/engine/types.js';
import { outputErrors, referenceOutputs } from '../shared/network/reference.js';
import type { NetworkSpec, Precision } from '../shared/network/spec.js';
import type { PlanReport } from '../shared/store/plan-meta.js';

const REPORT_BUDGET_MS = 400;
const MIN_RUNS = 20;
const POINT_CAP_MS = 250;
const FLOOR_RUNS = 3;
const MAX_RUNS = 200;

// fp8 (outside the contract's list) is compared with the network's float32 weights, not its e4m3
// ones: 3 mantissa bits leave a few percent; 1e-1 flags a plan that is wrong, not one that is fp8.
export const TOLERANCE: Record<Precision, number> = { fp32: 1e-5, tf32: 1e-3, fp16: 1e-2, bf16: 1e-2, fp8: 1e-1 };

// `extraBatches`: also measured where the profile admits them (a sweep compares plans at one).
export async function measurePlan(engine: Engine, network: NetworkSpec, extraBatches: number[] = [], signal?: AbortSignal): Promise<PlanReport> {
  const started = performance.now();
  const { batch, precision } = engine.info;
  const admitted = extraBatches.filter((size) => size >= batch.min && size <= batch.max);
  const batches = [...new Set([batch.min, batch.opt, batch.max, ...admitted])].sort((a, b) => a - b);
  const latency: PlanReport['latency'] = [];
  const throughput: PlanReport['throughput'] = [];
  // One fresh draw at the largest batch; each smaller batch times its first rows (as random).
  const drawn = randomInputs(engine, batches[batches.length - 1]);
  for (const size of batches) {
    signal?.throwIfAborted();
    const inputs = firstRows(engine, drawn, size);
    await engine.infer(inputs); // the first run at a batch may set it up (a CUDA graph's capture)
    const times: number[] = [];
    const start = performance.now();
    const share = REPORT_BUDGET_MS / batches.length;
    const more = (elapsed: number) =>
      times.length < FLOOR_RUNS || (times.length < MAX_RUNS && (elapsed < share || (times.length < MIN_RUNS && elapsed < POINT_CAP_MS)));
    while (more(performance.now() - start)) {
      const t0 = performance.now();
      await engine.infer(inputs);
      times.push(performance.now() - t0);
    }
    const total = times.reduce((a, b) => a + b, 0);
    times.sort((a, b) => a - b);
    latency.push({ batch: size, p50Ms: percentile(times, 50), p90Ms: percentile(times, 90), p99Ms: percentile(times, 99), runs: times.length });
    throughput.push({ batch: size, rowsPerSecond: (size * times.length * 1000) / total });
  }

  signal?.throwIfAborted();
  const inputs = firstRows(engine, drawn, batch.min);
  const outputs = await engine.infer(inputs);
  const want = referenceOutputs(network, inputs);
  let relErr = 0;
  let maxAbsErr = 0;
  for (const [name, reference] of Object.entries(want)) {
    const errors = outputErrors(outputs[name]?.data ?? [], reference);
    relErr = Math.max(relErr, errors.relErr);
    maxAbsErr = Math.max(maxAbsErr, errors.maxAbsErr);
  }
  const tolerance = TOLERANCE[precision];
  return {
    latency,
    throughput,
    accuracy: { reference: 'float64', batch: batch.min, relErr, maxAbsErr, tolerance, pass: relErr <= tolerance },
    ms: performance.now() - started,
  };
}

// Uniform in [-1, 1): never zeros, fresh for every report.
function randomInputs(engine: Engine, batch: number): Record<string, Tensor> {
  return Object.fromEntries(
    engine.info.inputs.map((input) => {
      const shape = input.shape.map((dim, d) => (d === 0 && dim === -1 ? batch : dim));
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
      return [input.name, { shape, data }];
    }),
  );
}

// The first `batch` rows of each dynamic input (views); static inputs as they are.
function firstRows(engine: Engine, inputs: Record<string, Tensor>, batch: number): Record<string, Tensor> {
  return Object.fromEntries(
    engine.info.inputs.map(({ name, shape }) => {
      const tensor = inputs[name];
      if (shape[0] !== -1) return [name, tensor];
      const rowSize = tensor.data.length / tensor.shape[0];
      return [name, { shape: [batch, ...tensor.shape.slice(1)], data: tensor.data.subarray(0, batch * rowSize) }];
    }),
  );
}

// Nearest rank of sorted values.
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
