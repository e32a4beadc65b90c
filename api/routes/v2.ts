// KServe v2 / Triton: a plan is a model (its id is the model name, version "1").
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { PlanMeta } from '../../shared/store/plan-meta.js';
import { ValidationError } from '../../shared/network/validation-error.js';
import type { FarmServices } from '../farm-services.js';
import { HttpError } from '../http-error.js';
import { checkInputs } from '../infer/check-inputs.js';
import { runInference } from '../infer/inference-jobs.js';
import { errorSchema, planParamsSchema } from '../schemas/common.js';
import { v2InferRequestSchema, v2InferResponseSchema, v2ModelMetadataSchema } from '../schemas/v2.js';

export const v2Routes: FastifyPluginAsyncZod = async (app) => {
  const { farm } = app;

  app.get(
    '/v2',
    { schema: { summary: 'KServe v2 server metadata', response: { 200: z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) }) } } },
    async () => ({ name: 'trtfarm', version: '0.1.0', extensions: [] }),
  );

  app.get(
    '/v2/models/:planId',
    { schema: { summary: 'KServe v2 model metadata of a plan', params: planParamsSchema, response: { 200: v2ModelMetadataSchema, '4xx': errorSchema } } },
    async (request) => {
      const meta = await knownPlan(farm, request.params.planId);
      const tensors = (list: PlanMeta['inputs']) => list.map((t) => ({ name: t.name, datatype: 'FP32' as const, shape: t.shape }));
      return { name: meta.id, versions: ['1'], platform: `trtfarm_${meta.backend}`, inputs: tensors(meta.inputs), outputs: tensors(meta.outputs) };
    },
  );

  app.get(
    '/v2/models/:planId/ready',
    { schema: { summary: 'Whether a live worker can run the plan', params: planParamsSchema, response: { 200: z.object({ ready: z.literal(true) }), '4xx': errorSchema, '5xx': errorSchema } } },
    async (request) => {
      const meta = await knownPlan(farm, request.params.planId);
      const ready = (await farm.liveWorkers()).some((w) => w.serves.some((s) => s.compatKey === meta.compatKey));
      if (!ready) throw new HttpError(503, `no live worker can run plan ${meta.id}`);
      return { ready: true as const };
    },
  );

  app.post(
    '/v2/models/:planId/infer',
    {
      schema: {
        summary: 'KServe v2 inference (JSON, FP32), synchronous',
        params: planParamsSchema,
        body: v2InferRequestSchema,
        response: { 200: v2InferResponseSchema, '4xx': errorSchema, '5xx': errorSchema },
      },
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
    },
    async (request) => {
      const meta = await knownPlan(farm, request.params.planId);
      const inputs = new Map<string, { shape: number[]; data: number[] }>();
      request.body.inputs.forEach((input, i) => {
        if (input.datatype !== 'FP32') {
          throw new ValidationError(`inputs[${i}] (${JSON.stringify(input.name)}).datatype: only FP32 is supported, got ${JSON.stringify(input.datatype)}`);
        }
        if (inputs.has(input.name)) throw new ValidationError(`inputs[${i}]: ${JSON.stringify(input.name)} is given twice`);
        inputs.set(input.name, { shape: input.shape, data: input.data });
      });
      const wanted = request.body.outputs?.map((output) => output.name) ?? meta.outputs.map((output) => output.name);
      const unknown = wanted.filter((name) => !meta.outputs.some((output) => output.name === name));
      if (unknown.length > 0) throw new ValidationError(`outputs: the plan has no output ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);

      const status = await runInference(farm, meta, checkInputs(meta, Object.fromEntries(inputs)), farm.config.maxWaitMs);
      if (status.status === 'failed') throw new HttpError(500, status.error?.message ?? 'inference failed');
      if (status.status !== 'completed' || !status.outputs) {
        throw new HttpError(504, `inference ${status.id} did not finish within ${farm.config.maxWaitMs} ms; GET /v1/infer/${status.id} has it later`);
      }
      const outputs = status.outputs;
      return {
        model_name: meta.id,
        ...(request.body.id !== undefined ? { id: request.body.id } : {}),
        outputs: wanted.map((name) => ({ name, shape: outputs[name].shape, datatype: 'FP32' as const, data: outputs[name].data })),
      };
    },
  );
};

async function knownPlan(farm: FarmServices, planId: string): Promise<PlanMeta> {
  const meta = await farm.planMeta(planId);
  if (!meta) throw new HttpError(404, `no model (plan) ${planId}`);
  return meta;
}
