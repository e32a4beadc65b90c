// Triton's inference series (nv_inference_*, labels model and version) from the API's per-model
// inference counters (api/infer/inference-stats.ts), so that Triton dashboards work on the
// farm. Triton's meanings: requests succeeded / failed (reason REJECTED for a request refused as
// invalid, BACKEND for one that failed running), rows inferred, engine executions, and the
// cumulative microseconds of whole requests, of their queueing and of their engine compute.
import { Counter, type Registry } from 'prom-client';

interface Duration {
  count: number;
  ns: number;
}

// What is read of the counters (InferenceStats).
export interface InferenceCounters {
  models(): string[];
  of(model: string):
    | { success: Duration; fail: Duration; rejected: number; inferenceCount: number; executionCount: number; queue: Duration; computeInfer: Duration }
    | undefined;
}

// The one version a plan has (KServe v2 routes answer it as "1").
const VERSION = '1';

// Whole microseconds, as Triton counts them.
const micros = (ns: number) => Math.floor(ns / 1000);

export function registerTritonMetrics(registry: Registry, stats: InferenceCounters): void {
  const series = (name: string, help: string, read: (c: NonNullable<ReturnType<InferenceCounters['of']>>) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['model', 'version'],
      registers: [registry],
      collect() {
        this.reset();
        for (const model of stats.models()) {
          const counters = stats.of(model);
          if (counters) this.inc({ model, version: VERSION }, read(counters));
        }
      },
    });
  series('nv_inference_request_success', 'Number of successful inference requests, all batch sizes', (c) => c.success.count);
  series('nv_inference_count', 'Number of inferences performed (a request of batch n counts n)', (c) => c.inferenceCount);
  series('nv_inference_exec_count', 'Number of model executions performed (requests batched together count once)', (c) => c.executionCount);
  series('nv_inference_request_duration_us', 'Cumulative inference request duration in microseconds (successful requests)', (c) => micros(c.success.ns));
  series('nv_inference_queue_duration_us', 'Cumulative inference queuing duration in microseconds', (c) => micros(c.queue.ns));
  series('nv_inference_compute_infer_duration_us', 'Cumulative compute inference duration in microseconds', (c) => micros(c.computeInfer.ns));
  new Counter({
    name: 'nv_inference_request_failure',
    help: 'Number of failed inference requests, all batch sizes, by reason',
    labelNames: ['model', 'version', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const model of stats.models()) {
        const counters = stats.of(model);
        if (!counters) continue;
        this.inc({ model, version: VERSION, reason: 'REJECTED' }, counters.rejected);
        this.inc({ model, version: VERSION, reason: 'BACKEND' }, counters.fail.count - counters.rejected);
      }
    },
  });
}
