import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { normalizeModel } from '../../shared/network/build-request.js';
import { decodedBase64Of, installBuildBodyParser } from '../builds/build-body.js';
import { readUpload } from '../builds/model-upload.js';
import type { SweepService } from '../builds/sweep-service.js';
import { HttpError } from '../http-error.js';
import { errorSchema } from '../schemas/common.js';
import { sweepAcceptedSchema, sweepIdSchema, sweepOptionsSchema, sweepRequestSchema, sweepStatusSchema } from '../schemas/sweeps.js';

const sweepParams = z.object({ id: sweepIdSchema });

export const sweepRoutes: FastifyPluginAsyncZod<{ sweeps: SweepService }> = async (app, { sweeps }) => {
  const { farm } = app;
  installBuildBodyParser(app);

  app.post(
    '/v1/sweeps',
    {
      schema: {
        summary: 'Many builds of one network: a list of variants, or the grid of precisions × profiles × backends',
        description:
          'The network is sent and checked once; each variant is an ordinary build with the id POST /v1/builds would ' +
          'give it (built before: not built again). Also multipart/form-data: a part "model" and a part "options" ' +
          '(this body without network/onnx).',
        body: sweepRequestSchema,
        response: { 202: sweepAcceptedSchema, '4xx': errorSchema, '5xx': errorSchema },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      if (request.isMultipart()) {
        const { network, options } = await readUpload(request, sweepOptionsSchema, farm.config.bodyLimitBytes);
        return reply.code(202).send(await sweeps.submit(network, options));
      }
      if (request.validationError) throw request.validationError;
      const { network: _network, onnx: _onnx, ...options } = request.body;
      return reply.code(202).send(await sweeps.submit(await normalizeModel(request.body, decodedBase64Of(request)), options));
    },
  );

  app.get(
    '/v1/sweeps/:id',
    {
      schema: {
        summary: "A sweep's state, each variant's build and report at the sweep's batch, and the best plan",
        params: sweepParams,
        response: { 200: sweepStatusSchema, '4xx': errorSchema },
      },
    },
    async (request) => {
      const status = await sweeps.status(request.params.id);
      if (!status) throw new HttpError(404, `no sweep ${request.params.id}`);
      return status;
    },
  );

  app.delete(
    '/v1/sweeps/:id',
    {
      schema: {
        summary: "Cancel a sweep's unfinished builds (running ones are stopped); finished plans stay",
        params: sweepParams,
        response: { 200: z.object({ id: z.string(), status: sweepStatusSchema.shape.status }), '4xx': errorSchema },
      },
    },
    async (request) => {
      const status = await sweeps.cancel(request.params.id);
      if (!status) throw new HttpError(404, `no sweep ${request.params.id}`);
      return { id: status.id, status: status.status };
    },
  );
};
