import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { EngineAddon } from '../../shared/engine/types.js';
import { errorSchema, planParamsSchema } from '../schemas/common.js';
import { MODEL_FILES, defaultModelName, modelArchive, modelEntry } from '../tensorrt/model-repository.js';

const querySchema = z.object({
  file: z.enum(MODEL_FILES).optional().describe('one file of the entry instead of the tar'),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/, 'a model name is 1-64 letters, digits, "_", "." or "-", not starting with "." or "-"')
    .optional()
    .describe('the Triton model name (default trtfarm_<first 16 digits of the plan id>)'),
});

export const tensorrtExportRoutes: FastifyPluginAsyncZod<{ engine: EngineAddon }> = async (app, { engine }) => {
  const { farm } = app;

  app.get(
    '/v1/plans/:planId/tensorrt',
    {
      schema: {
        summary: "A tensorrt plan's engine as a Triton model repository entry",
        description:
          'A tar of `<name>/config.pbtxt` and `<name>/1/model.plan` (the bare TensorRT engine; platform tensorrt_plan), ' +
          'or one of the two with `file`. Triton must run the TensorRT release and GPU the plan\'s compatKey names. ' +
          '409 for a plan of another backend.',
        params: planParamsSchema,
        querystring: querySchema,
        response: {
          200: z.any().describe('application/x-tar; with file: text/plain (config.pbtxt) or application/octet-stream (model.plan)'),
          '4xx': errorSchema,
        },
      },
      // A Buffer is sent as it is; errors still go out as JSON, unchecked.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const { planId } = request.params;
      const entry = await modelEntry(farm, engine, planId, request.query.name ?? defaultModelName(planId));
      if (request.query.file === 'config.pbtxt') return reply.type('text/plain; charset=utf-8').send(entry.config);
      if (request.query.file === 'model.plan') return reply.type('application/octet-stream').send(entry.engine);
      return reply
        .type('application/x-tar')
        .header('content-disposition', `attachment; filename="${entry.name}.tar"`)
        .send(modelArchive(entry));
    },
  );
};
