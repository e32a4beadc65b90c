// Running an inference and reading its state, shared by the v1 and v2 routes. An infer id
// names its queue (`<class>.<uuid>`) so that reading it back needs no lookup.
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';

import { inferJobOptions, type InferJobData, type InferJobResult, type WireTensor } from '../../shared/queue/jobs.js';
import { queueClass, queueName } from '../../shared/queue/names.js';
import { checkInferRoute } from '../../shared/queue/routing.js';
import { fromWire } from '../../shared/queue/wire-tensor.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';
import { contractStatus } from '../schemas/common.js';
import type { InferStatus } from '../schemas/infer.js';

type InferJob = Job<InferJobData, InferJobResult>;

// Enqueues the inference and waits up to waitMs for it to finish.
export async function runInference(
  farm: FarmServices,
  meta: PlanMeta,
  inputs: Record<string, WireTensor>,
  waitMs: number,
): Promise<InferStatus> {
  checkInferRoute(await farm.liveWorkers(), meta.compatKey);
  const name = queueName('infer', meta.compatKey);
  const id = `${queueClass(meta.compatKey)}.${randomUUID()}`;
  const watch = waitMs > 0 ? await farm.watchJob(name, id, waitMs) : undefined;
  try {
    await farm.queue(name).add('infer', { plan: meta.id, inputs }, { ...inferJobOptions, jobId: id });
  } catch (error) {
    watch?.cancel();
    throw error;
  }
  if (!watch) return { id, status: 'queued' };
  const outcome = await watch.outcome;
  if (outcome.state === 'completed') return completed(id, outcome.returnvalue as InferJobResult);
  if (outcome.state === 'failed') return { id, status: 'failed', error: { message: outcome.failedReason } };
  const job = await findInference(farm, id);
  return job ? inferStatus(job) : { id, status: 'queued' };
}

export async function findInference(farm: FarmServices, id: string): Promise<InferJob | undefined> {
  const name = `infer.${id.slice(0, id.lastIndexOf('.'))}`;
  // The id's class is the caller's text: only a queue that has held a job (BullMQ writes its
  // meta key with the first one) is looked into, so made-up classes never add to farm.queue's
  // map of kept Queues.
  if (!(await farm.redis.exists(`${farm.config.queuePrefix}:${name}:meta`))) return undefined;
  return (await farm.queue(name).getJob(id)) ?? undefined;
}

export async function inferStatus(job: InferJob): Promise<InferStatus> {
  const state = contractStatus(await job.getState());
  if (state === 'completed') return completed(job.id!, job.returnvalue);
  if (state === 'failed') return { id: job.id!, status: state, error: { message: job.failedReason } };
  return { id: job.id!, status: state };
}

function completed(id: string, result: InferJobResult): InferStatus {
  const outputs = Object.fromEntries(
    Object.entries(result.outputs).map(([name, wire]) => {
      const tensor = fromWire(wire);
      return [name, { shape: tensor.shape, data: Array.from(tensor.data) }];
    }),
  );
  return { id, status: 'completed', outputs };
}
