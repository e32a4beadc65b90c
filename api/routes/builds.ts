import type { Job } from 'bullmq';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { EngineAddon } from '../../shared/engine/types.js';
import { buildRequestId, buildRequestSchema, normalizeBuildRequest } from '../../shared/network/build-request.js';
import { contentHash } from '../../shared/network/content-hash.js';
import { buildJobOptions, type BuildJobData, type BuildJobResult } from '../../shared/queue/jobs.js';
import { queueName } from '../../shared/queue/names.js';
import { routeBuild } from '../../shared/queue/routing.js';
import { HttpError } from '../http-error.js';
import { buildAcceptedSchema, buildStatusSchema, type BuildStatus } from '../schemas/builds.js';
import { buildIdSchema, contractStatus, errorSchema } from '../schemas/common.js';

type BuildJob = Job<BuildJobData, BuildJobResult>;

export const buildRoutes: FastifyPluginAsyncZod<{ engine: EngineAddon }> = async (app, { engine }) => {
  const { farm } = app;

  // A build's state from its job, or from the index once the job is gone.
  async function currentStatus(id: string): Promise<BuildStatus | undefined> {
    const record = await farm.builds.get(id);
    const job: BuildJob | undefined = record.queue ? await farm.queue(record.queue).getJob(id) : undefined;
    if (job) return jobStatus(job);
    const plan = record.plan ? await farm.planMeta(record.plan) : undefined;
    return plan ? { id, status: 'completed', progress: 100, plan } : undefined;
  }

  app.post(
    '/v1/builds',
    {
      schema: {
        summary: 'Build a plan from a network (JSON or ONNX)',
        description:
          'Checked in full before anything is queued. The id is a content hash of the normalized request and the ' +
          'class of device it was routed to: the same request gets the same id, and 200 once its plan exists.',
        body: buildRequestSchema,
        response: { 200: buildStatusSchema, 202: buildAcceptedSchema, '4xx': errorSchema, '5xx': errorSchema },
      },
    },
    async (request, reply) => {
      const normalized = normalizeBuildRequest(request.body);
      const target = routeBuild(await farm.liveWorkers(), normalized.options.backend, normalized.options.precision);
      const { precision, profile } = normalized.options;
      // Shape inference and profile checks, synchronous and cheap: a network that cannot
      // build is refused here rather than failing in a worker.
      engine.validate(normalized.network, { precision, profile, backend: target.backend });

      const id = contentHash({ request: buildRequestId(normalized), compatKey: target.compatKey });
      const known = await currentStatus(id);
      if (known?.status === 'completed') return reply.code(200).send(known);
      const queue = farm.queue(queueName('build', target.compatKey));
      if (known?.status === 'failed') {
        // Tried again: a failure may have been the machine's (its retries spent). Its input is
        // written again, in case it expired meanwhile.
        await farm.buildInputs.put(id, normalized);
        try {
          // With its attempts counted afresh, so that the machine's failures get their retries again.
          await (await queue.getJob(id))?.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        } catch (error) {
          // A twin request retried it first: the job is no longer failed.
          const now = await currentStatus(id);
          if (!now || now.status === 'failed') throw error;
          return reply.code(now.status === 'completed' ? 200 : 202).send(now);
        }
        return reply.code(202).send({ id, status: 'queued' });
      }
      if (known) return reply.code(202).send({ id, status: known.status });
      await farm.builds.setQueue(id, queue.name);
      // The input before the job, so that a worker never takes a job without one.
      await farm.buildInputs.put(id, normalized);
      const data: BuildJobData = { backend: target.backend, compatKey: target.compatKey };
      // The id is the job id: two identical requests racing here still make one job.
      const job = await queue.add('build', data, { ...buildJobOptions, jobId: id });
      // A twin request's job that completed meanwhile (its input deleted) is not run again: our
      // copy of the input would only wait for its expiry.
      if ((await job.getState()) === 'completed') await farm.buildInputs.delete(id);
      return reply.code(202).send({ id, status: 'queued' });
    },
  );

  app.get(
    '/v1/builds/:id',
    {
      schema: {
        summary: "A build's state, progress, and its plan's meta once completed",
        params: z.object({ id: buildIdSchema }),
        response: { 200: buildStatusSchema, '4xx': errorSchema },
      },
    },
    async (request) => {
      const status = await currentStatus(request.params.id);
      if (!status) throw new HttpError(404, `no build ${request.params.id}`);
      return status;
    },
  );
};

async function jobStatus(job: BuildJob): Promise<BuildStatus> {
  const status = contractStatus(await job.getState());
  const progress = status === 'completed' ? 100 : typeof job.progress === 'number' ? job.progress : 0;
  const base = { id: job.id!, status, progress };
  if (status === 'completed') return { ...base, plan: job.returnvalue.meta };
  if (status === 'failed') return { ...base, error: { message: job.failedReason } };
  return base;
}
