import { UnrecoverableError, type Job } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';

import type { EngineAddon } from '../shared/engine/types.js';
import { CANCELLED_MESSAGE, planMetaOfBuild, type BuildIndex, type BuildOwnFields } from '../shared/queue/build-index.js';
import type { BuildInputStore } from '../shared/queue/build-input-store.js';
import type { BuildJobData, BuildJobResult } from '../shared/queue/jobs.js';
import type { TimingCache } from '../shared/queue/timing-cache.js';
import type { PlanCatalog } from '../shared/store/plan-catalog.js';
import type { PlanStore } from '../shared/store/plan-store.js';
import type { DeviceBinding } from './device.js';
import { buildWithinDeadline } from './build-deadline.js';
import { classifyFailure } from './job-errors.js';
import { measurePlan } from './plan-report.js';

export interface BuildContext {
  engine: EngineAddon;
  store: PlanStore;
  catalog: PlanCatalog;
  index: BuildIndex;
  inputs: BuildInputStore;
  timingCache: TimingCache;
  binding: DeviceBinding;
  testDelayMs: number;
  buildTimeoutMs: number;
}

// Of a build's progress, what the build itself takes when a report follows.
const BUILD_SHARE = 0.9;

// `signal`: BullMQ's, aborted by Worker.cancelJob when the build is cancelled (DELETE).
export function buildProcessor(context: BuildContext) {
  return (job: Job<BuildJobData, BuildJobResult>, _token?: string, signal?: AbortSignal): Promise<BuildJobResult> =>
    classifyFailure(async () => {
      try {
        return await build(context, job, signal);
      } catch (error) {
        // Whatever the build was doing when it was stopped: a cancellation, never retried.
        if (signal?.aborted) throw new UnrecoverableError(CANCELLED_MESSAGE);
        throw error;
      }
    });
}

async function build(context: BuildContext, job: Job<BuildJobData, BuildJobResult>, signal?: AbortSignal): Promise<BuildJobResult> {
  const { engine, store, catalog, index, inputs, timingCache, binding, testDelayMs, buildTimeoutMs } = context;
  const { backend, compatKey } = job.data;
  if (testDelayMs > 0) await sleep(testDelayMs, undefined, { signal });
  const input = await inputs.get(job.id!);
  if (!input) throw new UnrecoverableError(`the input of build ${job.id} has expired: submit the request again`);
  const { network, options } = input;
  const { report: reportWanted, ...buildOptions } = options;
  const device = binding.device === 'cpu' ? undefined : binding.device;
  // Only cuda autotunes against the fleet's cache; other backends get no such option.
  const cached = backend === 'cuda' ? await timingCache.read(compatKey) : [];
  const share = reportWanted === false ? 1 : BUILD_SHARE;
  let reported = -1;
  // The signal, or the build time limit, stops the build at its next step (a pass, a folded
  // row, an autotuning candidate).
  const result = await buildWithinDeadline(engine, network, { ...buildOptions, backend, device, ...(cached.length > 0 ? { timingCache: cached } : {}) }, {
    timeoutMs: buildTimeoutMs,
    signal,
    onProgress: (fraction) => {
      // One Redis write per whole percent, not per callback.
      const percent = Math.floor(fraction * share * 100);
      if (percent > reported) {
        reported = percent;
        job.updateProgress(percent).catch(() => {});
      }
    },
  });
  if (result.timingCache) await timingCache.write(compatKey, result.timingCache.entries);

  const own: BuildOwnFields = { buildMs: result.buildMs, createdAt: new Date().toISOString() };
  if (result.timingCache) own.timingCacheHits = result.timingCache.hits;
  if (reportWanted !== false) {
    signal?.throwIfAborted();
    const loaded = await engine.loadEngine(result.plan, { device });
    try {
      own.report = await measurePlan(loaded, network, job.data.reportBatches, signal);
    } finally {
      loaded.dispose();
    }
  }
  signal?.throwIfAborted();
  const { bytes: _bytes, ...info } = result.info;
  const { index: _index, ...deviceInfo } = binding.info;
  // The same bytes from another build are stored once (the first build's meta); this build's
  // own fields are its record's, and its status reports those.
  const stored = await store.put(result.plan, { ...info, device: deviceInfo, ...own, buildId: job.id });
  await catalog.add(stored.id);
  await index.setPlan(job.id!, stored.id, own);
  // After the plan is recorded: a name given meanwhile by the API (which reads the plan after
  // adding the name) is attached by one side or the other.
  await catalog.giveNames(stored.id, await index.names(job.id!));
  return { planId: stored.id, meta: planMetaOfBuild(stored, job.id!, own) };
}
