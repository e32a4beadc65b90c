import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { HttpError } from '../http-error.js';
import { checkInputs } from '../infer/check-inputs.js';
import { findInference, inferStatus, runInference } from '../infer/inference-jobs.js';
import { errorSchema } from '../schemas/common.js';
import { inferIdParamsSchema, inferQuerySchema, inferRequestSchema, inferStatusSchema } from '../schemas/infer.js';

// Outputs can hold millions of numbers: they skip the schema check on the way out.
const plainJson = () => (data: unknown) => JSON.stringify(data);

export const inferRoutes: FastifyPluginAsyncZod = async (app) => {
  const { farm } = app;

  app.post(
    '/v1/infer',
    {
      schema: {
        summary: 'Run an inference on a plan',
        description: '200 with the outputs when it finished within `wait` ms, else 202; poll GET /v1/infer/:id.',
        querystring: inferQuerySchema,
        body: inferRequestSchema,
        response: { 200: inferStatusSchema, 202: inferStatusSchema, '4xx': errorSchema, '5xx': errorSchema },
      },
      serializerCompiler: plainJson,
    },
    async (request, reply) => {
      const meta = await farm.planMeta(request.body.plan);
      if (!meta) throw new HttpError(404, `no plan ${request.body.plan}`);
      const status = await runInference(farm, meta, checkInputs(meta, request.body.inputs), Math.min(request.query.wait, farm.config.maxWaitMs));
      return reply.code(status.status === 'completed' || status.status === 'failed' ? 200 : 202).send(status);
    },
  );

  app.get(
    '/v1/infer/:id',
    {
      schema: {
        summary: "An inference's state and, once completed, its outputs",
        params: inferIdParamsSchema,
        response: { 200: inferStatusSchema, '4xx': errorSchema },
      },
      serializerCompiler: plainJson,
    },
    async (request) => {
      const job = await findInference(farm, request.params.id);
      if (!job) throw new HttpError(404, `no inference ${request.params.id} (results are kept for 10 minutes)`);
      return inferStatus(job);
    },
  );
};
