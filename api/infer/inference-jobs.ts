// Running inferences and reading their state, shared by the v1 and v2 routes. Requests for one
// plan are batched into BullMQ jobs (RequestBatcher); a job's inputs and outputs are binary
// values beside it in Redis. An inference id names its queue, its job and its place in the job
// (`<class>.<uuid>.<index>`; an id without the index is the job's first request), so that
// reading it back needs no lookup.
import { randomUUID } from 'node:crypto';

import type { FarmConfig } from '../../shared/config.js';
import { inferJobOptions, type InferItemResult, type InferJobData, type InferJobResult } from '../../shared/queue/jobs.js';
import { farmKeys, queueClass, queueName } from '../../shared/queue/names.js';
import { checkInferRoute } from '../../shared/queue/routing.js';
import { decodeTensorSets, encodeTensorSets, type TensorSet } from '../../shared/queue/wire-tensor.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';
import type { JobOutcome } from '../job-watcher.js';
import { contractStatus, type JobStatus } from '../schemas/common.js';
import { InferenceStats } from './inference-stats.js';
import { RequestBatcher, type Batched } from './request-batcher.js';

export type InferenceResult =
  | { id: string; status: 'queued' | 'active' }
  | { id: string; status: 'completed'; outputs: TensorSet; item: InferItemResult }
  // callerFault: the engine refused this request's own inputs (the others of its job ran).
  | { id: string; status: 'failed'; error: { message: string }; callerFault?: boolean };

// What a finished job gives each of its requests.
type JobAnswer = { state: 'completed'; result: InferJobResult; outputs: TensorSet[] } | { state: 'failed'; message: string } | { state: 'unfinished' };

const ID = /^(.+)\.([0-9a-f-]{36})(?:\.(\d{1,6}))?$/;
// A job's inputs live as long as a failed job is kept: a queued job must find them.
const INPUT_EXPIRY_S = inferJobOptions.removeOnFail.age;
// Rows a job may hold: the profile's max batch, or this many when that is smaller (the worker
// splits a job into engine calls of at most the max batch; a plan of fixed batch runs each
// request alone): fewer round trips per request.
const MIN_JOB_ROWS = 64;
// Jobs of one plan out at once from this API before it gathers requests into larger ones: two
// keep the worker busy while the other's answer travels (1 and 4 measured lower in bench:farm).
const JOBS_IN_FLIGHT = 2;

export class InferenceService {
  readonly stats = new InferenceStats();
  private readonly batchers = new Map<string, RequestBatcher>();
  private readonly answers = new Map<string, Promise<JobAnswer>>();

  constructor(
    private readonly farm: FarmServices,
    private readonly config: Pick<FarmConfig, 'batching' | 'batchDelayUs' | 'maxWaitMs' | 'queuePrefix'>,
  ) {}

  // Enqueues the inference and waits up to waitMs for it to finish. pollable: the caller may
  // read the result again by its id (GET /v1/infer/:id) after it was answered.
  async run(meta: PlanMeta, inputs: TensorSet, waitMs: number, pollable: boolean): Promise<InferenceResult> {
    checkInferRoute(await this.farm.liveWorkers(), meta.compatKey);
    const arrivedNs = process.hrtime.bigint();
    const rows = meta.inputs[0]?.shape[0] === -1 ? (inputs[meta.inputs[0].name]?.shape[0] ?? 1) : 1;
    const { jobId, index } = await this.batcherFor(meta).add({ inputs, rows, arrivedNs, pollable });
    const id = `${jobId}.${index}`;
    if (waitMs === 0) return { id, status: 'queued' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<JobAnswer>((resolve) => (timer = setTimeout(() => resolve({ state: 'unfinished' }), waitMs)));
    // (Gone from the map only once the job's answer settled: then the job's state tells.)
    const answer = await Promise.race([this.answers.get(jobId) ?? Promise.resolve<JobAnswer>({ state: 'unfinished' }), timeout]);
    clearTimeout(timer);
    if (answer.state === 'unfinished') return (await this.find(id)) ?? { id, status: 'queued' };
    return itemResult(id, answer, index);
  }

  // undefined: no such inference (never made, or its result is no longer kept).
  async find(id: string): Promise<InferenceResult | undefined> {
    const match = ID.exec(id);
    if (!match) return undefined;
    const [, cls, uuid, indexText] = match;
    const name = `infer.${cls}`;
    const jobId = `${cls}.${uuid}`;
    const index = Number(indexText ?? 0);
    // The id's class is the caller's text: only a queue that has held a job (BullMQ writes its
    // meta key with the first one) is looked into, so made-up classes never add to farm.queue's
    // map of kept Queues.
    if (!(await this.farm.redis.exists(`${this.config.queuePrefix}:${name}:meta`))) return undefined;
    const queue = this.farm.queue(name);
    // The state first, then the job: read the other way round, a job read while active and
    // found completed afterwards has no result yet (completed and failed are final).
    const state = await queue.getJobState(jobId);
    if (state === 'unknown') return undefined;
    const status: JobStatus = contractStatus(state);
    if (status === 'queued' || status === 'active') return { id, status };
    const job = await queue.getJob(jobId);
    if (!job) return undefined;
    if (status === 'failed') return { id, status, error: { message: job.failedReason } };
    const result = job.returnvalue as InferJobResult;
    if (index >= result.items.length) return undefined;
    const stored = await this.farm.redis.getBuffer(farmKeys.inferOutputs(this.config.queuePrefix, jobId));
    if (!stored) return undefined;
    return itemResult(id, { state: 'completed', result, outputs: decodeTensorSets(stored) }, index);
  }

  private batcherFor(meta: PlanMeta): RequestBatcher {
    let batcher = this.batchers.get(meta.id);
    if (!batcher) {
      const send = (items: Batched[]) => this.sendJob(meta, items);
      batcher = this.config.batching
        ? new RequestBatcher(send, Math.max(meta.batch.max, MIN_JOB_ROWS), this.config.batchDelayUs, JOBS_IN_FLIGHT)
        : new RequestBatcher(send, 1, 0, Infinity); // one job per request, sent at once
      this.batchers.set(meta.id, batcher);
    }
    return batcher;
  }

  // One job for the batch: its inputs written beside it, then the job added, on the same
  // connection (so in that order); the watch is registered before the add.
  private async sendJob(meta: PlanMeta, items: Batched[]): Promise<{ jobId: string; finished: Promise<unknown> }> {
    const name = queueName('infer', meta.compatKey);
    const jobId = `${queueClass(meta.compatKey)}.${randomUUID()}`;
    const watch = await this.farm.watchJob(name, jobId, this.config.maxWaitMs);
    const inputsKey = farmKeys.inferInputs(this.config.queuePrefix, jobId);
    const data: InferJobData = { plan: meta.id, items: items.length };
    try {
      await Promise.all([
        this.farm.redis.set(inputsKey, encodeTensorSets(items.map((item) => item.inputs)), 'EX', INPUT_EXPIRY_S),
        this.farm.queue(name).add('infer', data, { ...inferJobOptions, jobId }),
      ]);
    } catch (error) {
      watch.cancel();
      this.farm.redis.del(inputsKey).catch(() => undefined);
      throw error;
    }
    // The outputs are read once and deleted (GETDEL) unless a caller may ask for them again: a
    // v1 caller, whose id is for GET /v1/infer/:id. Else Redis would keep every answered tensor
    // for the results' whole retention (at 10k req/s of 16 KB: gigabytes a minute). A v2 caller
    // still waits when they are read: its wait (maxWaitMs) began after the watch's.
    const keepOutputs = items.some((item) => item.pollable);
    const answer = watch.outcome.then((outcome) => this.answer(jobId, outcome, keepOutputs));
    this.answers.set(jobId, answer);
    void answer.then((settled) => {
      this.answers.delete(jobId);
      this.record(meta.id, items, settled);
    });
    return { jobId, finished: answer };
  }

  private async answer(jobId: string, outcome: JobOutcome, keepOutputs: boolean): Promise<JobAnswer> {
    if (outcome.state === 'failed') return { state: 'failed', message: outcome.failedReason };
    if (outcome.state === 'unfinished') return outcome;
    const key = farmKeys.inferOutputs(this.config.queuePrefix, jobId);
    const stored = await (keepOutputs ? this.farm.redis.getBuffer(key) : this.farm.redis.getdelBuffer(key)).catch(() => null);
    // Gone already (it expired): the callers read the job's state instead.
    if (!stored) return { state: 'unfinished' };
    return { state: 'completed', result: outcome.returnvalue as InferJobResult, outputs: decodeTensorSets(stored) };
  }

  private record(model: string, items: Batched[], answer: JobAnswer): void {
    if (answer.state === 'unfinished') return;
    const now = process.hrtime.bigint();
    items.forEach((item, index) => {
      const ns = Number(now - item.arrivedNs);
      const result = answer.state === 'completed' ? answer.result.items[index] : undefined;
      if (result && !result.error) this.stats.recordSuccess(model, ns, result);
      // A request the engine refused as the caller's fault is an invalid request, as those the API refuses.
      else this.stats.recordFailure(model, ns, result?.error ? 'REJECTED' : 'BACKEND');
    });
  }
}

function itemResult(id: string, answer: Exclude<JobAnswer, { state: 'unfinished' }>, index: number): InferenceResult {
  if (answer.state === 'failed') return { id, status: 'failed', error: { message: answer.message } };
  const item = answer.result.items[index];
  if (item.error) return { id, status: 'failed', error: { message: item.error }, callerFault: true };
  return { id, status: 'completed', outputs: answer.outputs[index], item };
}
