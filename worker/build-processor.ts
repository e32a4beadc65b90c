import { UnrecoverableError, type Job } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';

import type { EngineAddon } from '../shared/engine/types.js';
import type { BuildIndex } from '../shared/queue/build-index.js';
import type { BuildInputStore } from '../shared/queue/build-input-store.js';
import type { BuildJobData, BuildJobResult } from '../shared/queue/jobs.js';
import type { PlanStore } from '../shared/store/plan-store.js';
import type { DeviceBinding } from './device.js';
import { buildWithinDeadline } from './build-deadline.js';
import { classifyFailure } from './job-errors.js';

export interface BuildContext {
  engine: EngineAddon;
  store: PlanStore;
  index: BuildIndex;
  inputs: BuildInputStore;
  binding: DeviceBinding;
  testDelayMs: number;
  buildTimeoutMs: number;
}

export function buildProcessor({ engine, store, index, inputs, binding, testDelayMs, buildTimeoutMs }: BuildContext) {
  return (job: Job<BuildJobData, BuildJobResult>): Promise<BuildJobResult> =>
    classifyFailure(async () => {
      if (testDelayMs > 0) await sleep(testDelayMs);
      const input = await inputs.get(job.id!);
      if (!input) throw new UnrecoverableError(`the input of build ${job.id} has expired: submit the request again`);
      const { network, options } = input;
      const device = binding.device === 'cpu' ? undefined : binding.device;
      let reported = -1;
      const result = await buildWithinDeadline(engine, network, { ...options, backend: job.data.backend, device }, { timeoutMs: buildTimeoutMs, onProgress: (fraction) => {
        // One Redis write per whole percent, not per callback.
        const percent = Math.floor(fraction * 100);
        if (percent > reported) {
          reported = percent;
          job.updateProgress(percent).catch(() => {});
        }
      } });
      const { bytes: _bytes, ...info } = result.info;
      const { index: _index, ...deviceInfo } = binding.info;
      const meta = await store.put(result.plan, {
        ...info,
        device: deviceInfo,
        buildMs: result.buildMs,
        createdAt: new Date().toISOString(),
        buildId: job.id,
      });
      await index.setPlan(job.id!, meta.id);
      return { planId: meta.id, meta };
    });
}
