import type { Job } from 'bullmq';

import type { InferJobData, InferJobResult, WireTensor } from '../shared/queue/jobs.js';
import { fromWire, toWire } from '../shared/queue/wire-tensor.js';
import type { Tensor } from '../shared/engine/types.js';
import type { EngineCache } from './engine-cache.js';
import { classifyFailure } from './job-errors.js';

export function inferProcessor(engines: EngineCache, workerId: string) {
  return (job: Job<InferJobData, InferJobResult>): Promise<InferJobResult> =>
    classifyFailure(async () => {
      const inputs = mapValues(job.data.inputs, fromWire);
      const started = performance.now();
      const outputs = await engines.use(job.data.plan, (engine) => engine.infer(inputs));
      return { outputs: mapValues(outputs, toWire), worker: workerId, inferMs: performance.now() - started };
    });
}

function mapValues<A extends Tensor | WireTensor, B>(record: Record<string, A>, map: (value: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, map(value)]));
}
