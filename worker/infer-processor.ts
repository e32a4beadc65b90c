// An inference job: its requests' inputs read from beside the job, each request run through
// its plan's RowStacker (stacked with the requests of other jobs active at once), the outputs
// written beside the job before it completes. A worker killed mid-job leaves the inputs for the
// worker that takes the job over (BullMQ's stalled-job recovery), which writes the outputs
// again: the value is the same, and the job completes, and so is answered, once.
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';

import { inferJobOptions, type InferItemResult, type InferJobData, type InferJobResult } from '../shared/queue/jobs.js';
import { farmKeys } from '../shared/queue/names.js';
import { decodeTensorSets, encodeTensorSets, type TensorSet } from '../shared/queue/wire-tensor.js';
import type { EngineCache } from './engine-cache.js';
import { classifyFailure } from './job-errors.js';
import { RowStacker } from './row-stacker.js';

export interface InferProcessorOptions {
  engines: EngineCache;
  redis: Redis;
  prefix: string;
  workerId: string;
  stacking: boolean;
  testDelayMs: number;
  onOutputsLost: (jobId: string, error: Error) => void;
}

export function inferProcessor({ engines, redis, prefix, workerId, stacking, testDelayMs, onOutputsLost }: InferProcessorOptions) {
  const stackers = new Map<string, RowStacker>();
  const stackerFor = (plan: string) => {
    let stacker = stackers.get(plan);
    if (!stacker) stackers.set(plan, (stacker = new RowStacker(stacking)));
    return stacker;
  };
  return (job: Job<InferJobData, InferJobResult>): Promise<InferJobResult> =>
    classifyFailure(async () => {
      const started = performance.now();
      const stored = await redis.getBuffer(farmKeys.inferInputs(prefix, job.id!));
      if (!stored) throw new Error(`inference ${job.id}: its inputs are gone (expired)`);
      const requests = decodeTensorSets(stored);
      if (testDelayMs > 0) await sleep(testDelayMs);
      const stacker = stackerFor(job.data.plan);
      const outcomes = await engines.use(job.data.plan, (engine) => Promise.all(requests.map((inputs) => stacker.run(engine, inputs, started))));
      const outputs: TensorSet[] = [];
      const items: InferItemResult[] = outcomes.map((outcome) => {
        outputs.push('outputs' in outcome ? outcome.outputs : {});
        const { queueUs, computeUs, batch, rows } = outcome;
        return 'error' in outcome ? { error: outcome.error, queueUs, computeUs, batch, rows } : { queueUs, computeUs, batch, rows };
      });
      // Not awaited: BullMQ completes the job on this same connection, so Redis has the outputs
      // before the completion (and its event) all the same, and each job saves a round trip; over
      // a lost connection both are resent, in order. Only a write Redis refuses (out of memory,
      // a read-only replica) leaves a completed job without outputs: its callers are told it
      // did not finish, and this worker logs it.
      const key = farmKeys.inferOutputs(prefix, job.id!);
      redis.set(key, encodeTensorSets(outputs), 'EX', inferJobOptions.removeOnComplete.age).catch((error: Error) => onOutputsLost(job.id!, error));
      return { worker: workerId, items };
    });
}
