import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

import { tensorFromJson } from '../../shared/network/tensor.js';
import { ValidationError } from '../../shared/network/validation-error.js';
import { HttpError } from '../http-error.js';
import { checkInputs } from '../infer/check-inputs.js';
import type { InferenceResult } from '../infer/inference-jobs.js';
import { finiteJsonData } from '../infer/tensor-json.js';
import { errorSchema } from '../schemas/common.js';
import { inferIdParamsSchema, inferQuerySchema, inferRequestSchema, inferStatusSchema } from '../schemas/infer.js';

export const inferRoutes: FastifyPluginAsyncZod = async (app) => {
  const { farm, inference } = app;

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
    },
    async (request, reply) => {
      const meta = await farm.planMeta(request.body.plan);
      if (!meta) throw new HttpError(404, `no plan ${request.body.plan}`);
      let inputs;
      try {
        inputs = checkInputs(meta, request.body.inputs, tensorFromJson);
      } catch (error) {
        inference.stats.recordFailure(meta.id, 0, 'REJECTED');
        throw error;
      }
      const result = await inference.run(meta, inputs, Math.min(request.query.wait, farm.config.maxWaitMs), true);
      const finished = result.status === 'completed' || result.status === 'failed';
      return sendJson(reply, finished ? 200 : 202, statusJson(result));
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
    },
    async (request, reply) => {
      const result = await inference.find(request.params.id);
      if (!result) throw new HttpError(404, `no inference ${request.params.id} (results are kept for 10 minutes)`);
      return sendJson(reply, 200, statusJson(result));
    },
  );
};

// The answer's JSON, written by hand: outputs can hold millions of numbers. An output JSON
// cannot carry (Infinity, NaN) makes the inference's answer `failed` with a message naming it.
function statusJson(result: InferenceResult): string {
  if (result.status === 'failed') return JSON.stringify({ id: result.id, status: result.status, error: result.error });
  if (result.status !== 'completed') return JSON.stringify({ id: result.id, status: result.status });
  let outputs: string[];
  try {
    outputs = Object.entries(result.outputs).map(
      ([name, tensor]) => `${JSON.stringify(name)}:{"shape":${JSON.stringify(tensor.shape)},"data":${finiteJsonData(name, tensor.data)}}`,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return JSON.stringify({ id: result.id, status: 'failed', error: { message: error.message } });
  }
  return `{"id":${JSON.stringify(result.id)},"status":"completed","outputs":{${outputs.join(',')}}}`;
}

// Already JSON text: sent as it is (the response schemas are for the OpenAPI document).
function sendJson(reply: FastifyReply, code: number, text: string): FastifyReply {
  return reply.code(code).type('application/json').send(text);
}
