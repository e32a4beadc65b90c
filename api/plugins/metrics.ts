// GET /metrics, Prometheus text: the farm's queues (jobs per queue and state), its live workers
// per class, build durations (build-durations.ts says how the API learns them), Triton's
// inference series of this API server's requests (triton-metrics.ts), and Node's own process
// metrics. Queue and worker figures are read from Redis at each scrape, so every API replica
// reports the same farm. With several API processes (TRTFARM_API_PROCESSES) the answer is the
// whole server's: the processes' series aggregated by prom-client (summed, but the figures every
// process reads alike, which are taken once), Triton's from their counters merged.
import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

import { InferenceStats } from '../infer/inference-stats.js';

import { BuildDurations } from './build-durations.js';
import type { QueueCatalog } from './queue-catalog.js';
import { registerTritonMetrics } from './triton-metrics.js';

// BullMQ's states, as getJobCounts names them.
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

// From a one-layer cpu build (milliseconds) to a large GPU build with autotuning (minutes).
const BUILD_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export async function installMetrics(app: FastifyInstance, catalog: QueueCatalog): Promise<Registry> {
  const { farm } = app;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'trtfarm_queue_jobs',
    help: 'Jobs in each build and infer queue, by BullMQ state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    aggregator: 'first',
    async collect() {
      this.reset();
      for (const name of await catalog.names()) {
        const counts = await farm.queue(name).getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });

  new Gauge({
    name: 'trtfarm_workers',
    help: 'Live workers serving each class (a worker serving several backends counts in each)',
    labelNames: ['backend', 'compat_key'],
    registers: [registry],
    aggregator: 'first',
    async collect() {
      this.reset();
      const served = new Map<string, { backend: string; compat_key: string; count: number }>();
      for (const worker of await farm.liveWorkers()) {
        for (const { backend, compatKey } of worker.serves) {
          const entry = served.get(compatKey) ?? { backend, compat_key: compatKey, count: 0 };
          entry.count++;
          served.set(compatKey, entry);
        }
      }
      for (const { count, ...labels } of served.values()) this.set(labels, count);
    },
  });

  const buildSeconds = new Histogram({
    name: 'trtfarm_build_duration_seconds',
    help: "Builds completed since this API started: the worker's build time (PlanMeta.buildMs)",
    labelNames: ['backend', 'precision'],
    buckets: BUILD_SECONDS_BUCKETS,
    registers: [registry],
    // Every process watches every build's completion.
    aggregator: 'first',
  });
  const durations = new BuildDurations(farm, ({ meta }) =>
    buildSeconds.observe({ backend: meta.backend, precision: meta.precision }, meta.buildMs / 1000),
  );
  app.addHook('onClose', () => durations.close());
  app.peers.provide('metrics', async () => {
    await durations.watch(await catalog.names());
    return registry.getMetricsAsJSON();
  });

  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['metrics'] } }, async (_request, reply) => {
    const triton = new Registry();
    registerTritonMetrics(triton, InferenceStats.merged(await app.peers.gather('inference-stats')));
    const merged = Registry.merge([AggregatorRegistry.aggregate(await app.peers.gather('metrics')), triton]);
    return reply.type(registry.contentType).send(await merged.metrics());
  });
  return registry;
}
