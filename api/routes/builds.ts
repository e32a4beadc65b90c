import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { buildNameSchema, buildRequestSchema, checkProfile, normalizeBuildRequest, normalizeOptions, variantFields, type NamedBuildRequest } from '../../shared/network/build-request.js';
import { BuildCancellation } from '../builds/build-cancellation.js';
import type { BuildSubmission } from '../builds/build-submission.js';
import { decodedBase64Of, installBuildBodyParser } from '../builds/build-body.js';
import { readUpload } from '../builds/model-upload.js';
import { startOnnxImportThread } from '../../shared/onnx/import-off-thread.js';
import { HttpError } from '../http-error.js';
import { buildAcceptedSchema, buildStatusSchema } from '../schemas/builds.js';
import { buildIdSchema, errorSchema } from '../schemas/common.js';

// The `options` part of a multipart build: the JSON body without its model.
const buildOptionsSchema = z
  .strictObject({ ...variantFields, name: buildNameSchema.optional(), report: z.boolean().default(true) })
  .superRefine((options, ctx) => checkProfile(options.profile, ctx, ['profile']));

export const buildRoutes: FastifyPluginAsyncZod<{ submission: BuildSubmission }> = async (app, { submission }) => {
  const { farm } = app;
  installBuildBodyParser(app);
  startOnnxImportThread();
  const cancellation = new BuildCancellation(farm, submission.statuses);

  app.post(
    '/v1/builds',
    {
      schema: {
        summary: 'Build a plan from a network (JSON or ONNX; a JSON body, or multipart/form-data with parts "model" and "options")',
        description:
          'Checked in full before anything is queued. The id is a content hash of the normalized request and the ' +
          'class of device it was routed to: the same request gets the same id, and 200 once its plan exists. ' +
          'multipart/form-data: a part "model" (an ONNX file as it is, or the network JSON) and a part "options" ' +
          '(JSON: precision, profile, backend, name, report); the same model and options give the same id.',
        body: buildRequestSchema,
        response: { 200: buildStatusSchema, 202: buildAcceptedSchema, '4xx': errorSchema, '5xx': errorSchema },
      },
      // A multipart body is checked by its reader instead.
      attachValidation: true,
    },
    async (request, reply) => {
      let named: NamedBuildRequest;
      if (request.isMultipart()) {
        const { network, options } = await readUpload(request, buildOptionsSchema, farm.config.bodyLimitBytes);
        named = { network, options: normalizeOptions(options), ...(options.name ? { name: options.name } : {}) };
      } else {
        if (request.validationError) throw request.validationError;
        named = await normalizeBuildRequest(request.body, decodedBase64Of(request));
      }
      const { code, body } = await submission.submit(named);
      return reply.code(code).send(body);
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
      const status = await submission.statuses.status(request.params.id);
      if (!status) throw new HttpError(404, `no build ${request.params.id}`);
      return status;
    },
  );

  app.delete(
    '/v1/builds/:id',
    {
      schema: {
        summary: 'Cancel a build that has not finished (a running one is stopped); a finished one stays as it is',
        params: z.object({ id: buildIdSchema }),
        response: { 200: buildAcceptedSchema, '4xx': errorSchema },
      },
    },
    async (request) => {
      const status = await cancellation.cancel(request.params.id);
      if (!status) throw new HttpError(404, `no build ${request.params.id}`);
      return { id: status.id, status: status.status };
    },
  );
};
