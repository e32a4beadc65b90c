// Per-model inference counters of this API process since it started: what
// `GET /v2/models/:model/stats` answers, and what /metrics exposes under Triton's names, for
// the whole server: the processes' snapshots merged (api/cluster/peer-gather.ts).
//
// A process's one instance is `app.inference.stats` (api/app.ts decorates the app with its
// InferenceService). For a reader such as a Prometheus collector (model = the plan id):
//   stats.models()            → the model ids seen so far
//   stats.of(model)           → ModelCounters (undefined if never seen), all cumulative:
//     success / fail          { count, ns }   requests answered / failed, and their total duration
//                                             (arrival in the API → outcome known):
//                                             nv_inference_request_success, nv_inference_request_duration_us
//     rejected                number          failed requests refused as invalid before running
//                                             (part of fail.count): nv_inference_request_failure{reason="REJECTED"};
//                                             fail.count − rejected: reason="BACKEND"
//     inferenceCount          number          rows inferred (a batch-4 request counts 4): nv_inference_count
//     executionCount          number          engine calls (several requests stacked into one count once): nv_inference_exec_count
//     queue                   { count, ns }   time each request waited before its engine call: nv_inference_queue_duration_us
//     computeInfer            { count, ns }   engine time of each request's call: nv_inference_compute_infer_duration_us
//     batches                 Map<batch, { count, ns }>  engine calls by executed batch size, and their engine time
// Writers: recordSuccess / recordFailure, called once per request by InferenceService.
import type { InferItemResult } from '../../shared/queue/jobs.js';

export interface Duration {
  count: number;
  ns: number;
}

export interface ModelCounters {
  success: Duration;
  fail: Duration;
  rejected: number;
  inferenceCount: number;
  executionCount: number;
  queue: Duration;
  computeInfer: Duration;
  batches: Map<number, Duration>;
  lastInferenceMs: number;
}

// A process's counters as its IPC message carries them: the engine-call shares unrounded.
export type StatsSnapshot = Array<{ model: string; counters: Omit<ModelCounters, 'batches'> & { batches: [number, Duration][] }; executionShare: number }>;

export class InferenceStats {
  // Several processes' counters summed, read like one process's.
  static merged(snapshots: StatsSnapshot[]): InferenceStats {
    const stats = new InferenceStats();
    for (const { model, counters, executionShare } of snapshots.flat()) {
      const c = stats.entry(model);
      for (const key of ['success', 'fail', 'queue', 'computeInfer'] as const) {
        c[key].count += counters[key].count;
        c[key].ns += counters[key].ns;
      }
      c.rejected += counters.rejected;
      c.inferenceCount += counters.inferenceCount;
      c.lastInferenceMs = Math.max(c.lastInferenceMs, counters.lastInferenceMs);
      for (const [size, d] of counters.batches) {
        const batch = c.batches.get(size) ?? { count: 0, ns: 0 };
        batch.count += d.count;
        batch.ns += d.ns;
        c.batches.set(size, batch);
      }
      stats.executionShares.set(model, (stats.executionShares.get(model) ?? 0) + executionShare);
    }
    return stats;
  }

  private readonly counters = new Map<string, ModelCounters>();
  // A call's share per request (rows / batch) summed: whole executions once all its requests are in.
  private readonly executionShares = new Map<string, number>();

  models(): string[] {
    return [...this.counters.keys()];
  }

  // A snapshot; counts of engine calls, summed as shares, are whole again here.
  of(model: string): ModelCounters | undefined {
    const c = this.counters.get(model);
    if (!c) return undefined;
    const batches = new Map([...c.batches].map(([size, d]) => [size, { count: Math.round(d.count), ns: d.ns }]));
    return { ...c, executionCount: Math.round(this.executionShares.get(model) ?? 0), batches };
  }

  snapshot(): StatsSnapshot {
    return [...this.counters].map(([model, c]) => ({ model, counters: { ...c, batches: [...c.batches] }, executionShare: this.executionShares.get(model) ?? 0 }));
  }

  // `requestNs`: arrival in the API → outcome known; `item`: the worker's figures.
  recordSuccess(model: string, requestNs: number, item: InferItemResult): void {
    const c = this.entry(model);
    add(c.success, requestNs);
    c.inferenceCount += item.rows;
    const computeNs = item.computeUs * 1000;
    add(c.computeInfer, computeNs);
    add(c.queue, Math.max(0, requestNs - computeNs));
    this.executionShares.set(model, (this.executionShares.get(model) ?? 0) + item.rows / item.batch);
    // Each call once: by the share of its rows, summed over its requests.
    const batch = c.batches.get(item.batch) ?? { count: 0, ns: 0 };
    batch.count += item.rows / item.batch;
    batch.ns += (computeNs * item.rows) / item.batch;
    c.batches.set(item.batch, batch);
    c.lastInferenceMs = Date.now();
  }

  recordFailure(model: string, requestNs: number, reason: 'REJECTED' | 'BACKEND'): void {
    const c = this.entry(model);
    add(c.fail, requestNs);
    if (reason === 'REJECTED') c.rejected++;
  }

  private entry(model: string): ModelCounters {
    let c = this.counters.get(model);
    if (!c) {
      c = {
        success: { count: 0, ns: 0 },
        fail: { count: 0, ns: 0 },
        rejected: 0,
        inferenceCount: 0,
        executionCount: 0,
        queue: { count: 0, ns: 0 },
        computeInfer: { count: 0, ns: 0 },
        batches: new Map(),
        lastInferenceMs: 0,
      };
      this.counters.set(model, c);
    }
    return c;
  }
}

function add(duration: Duration, ns: number): void {
  duration.count++;
  duration.ns += ns;
}
