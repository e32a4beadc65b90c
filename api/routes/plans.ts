import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { HttpError } from '../http-error.js';
import { errorSchema, planParamsSchema } from '../schemas/common.js';
import { planMetaSchema } from '../../shared/store/plan-meta.js';

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const { farm } = app;

  app.get(
    '/v1/plans/:planId',
    {
      schema: {
        summary: 'The serialized plan',
        params: planParamsSchema,
        response: { 200: z.any().describe('application/octet-stream'), '4xx': errorSchema },
      },
      // A Buffer is sent as it is; errors still go out as JSON, unchecked.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const plan = await farm.store.get(request.params.planId);
      if (!plan) throw new HttpError(404, `no plan ${request.params.planId}`);
      return reply.type('application/octet-stream').send(plan);
    },
  );

  app.get(
    '/v1/plans/:planId/meta',
    {
      schema: { summary: "A plan's meta (PlanMeta)", params: planParamsSchema, response: { 200: planMetaSchema, '4xx': errorSchema } },
    },
    async (request) => {
      const meta = await farm.planMeta(request.params.planId);
      if (!meta) throw new HttpError(404, `no plan ${request.params.planId}`);
      return meta;
    },
  );
};
