// KServe v2 / Triton: a model is a plan (resolveModel), with the one version "1". Every route
// answers also under /versions/1; errors on /v2 are the protocol's { "error": "<message>" }.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';
import { HttpError } from '../http-error.js';
import { InferenceStats, type ModelCounters } from '../infer/inference-stats.js';
import { resolveModel } from '../infer/resolve-model.js';
import { writeV2Answer } from '../infer/v2-answer.js';
import { parseV2Request } from '../infer/v2-request.js';
import { v2InferRequestSchema, v2InferResponseSchema, v2ModelMetadataSchema, v2ModelStatsSchema } from '../schemas/v2.js';

const VERSION = '1';
// Loose: the error handler's answer passes through it whole, and installV2ErrorBodies reshapes it.
const v2ErrorSchema = z.looseObject({ error: z.string() }).describe('{ error }: what went wrong, for a person to read');
const modelParams = z.object({ model: z.string().min(1).max(256) });
const versionParams = modelParams.extend({ version: z.string().min(1).max(64) });
type ModelParams = z.infer<typeof versionParams> | z.infer<typeof modelParams>;

// The API's error answers ({ statusCode, error, message }, api/plugins/error-handling.ts) turned
// into the protocol's shape for every /v2 URL, routes of other files and unknown ones included.
export function installV2ErrorBodies(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || !request.url.startsWith('/v2') || typeof payload !== 'string') return payload;
    try {
      const body = JSON.parse(payload) as { message?: unknown };
      return typeof body.message === 'string' ? JSON.stringify({ error: body.message }) : payload;
    } catch {
      return payload;
    }
  });
}

export const v2Routes: FastifyPluginAsyncZod = async (app) => {
  const { farm, inference } = app;
  const errors = { '4xx': v2ErrorSchema, '5xx': v2ErrorSchema };
  const both = (path: string) => [`/v2/models/:model${path}`, `/v2/models/:model/versions/:version${path}`];

  app.get(
    '/v2',
    { schema: { summary: 'KServe v2 server metadata', response: { 200: z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) }) } } },
    async () => ({ name: 'trtfarm', version: '0.1.0', extensions: ['binary_tensor_data', 'statistics'] }),
  );

  for (const url of both('')) {
    app.get(url, { schema: { summary: 'KServe v2 model metadata', params: url.includes(':version') ? versionParams : modelParams, response: { 200: v2ModelMetadataSchema, ...errors } } }, async (request) => {
      const meta = await knownModel(farm, request.params);
      const tensors = (list: PlanMeta['inputs']) => list.map((t) => ({ name: t.name, datatype: 'FP32' as const, shape: t.shape }));
      return { name: meta.id, versions: [VERSION], platform: `trtfarm_${meta.backend}`, inputs: tensors(meta.inputs), outputs: tensors(meta.outputs) };
    });
  }

  for (const url of both('/ready')) {
    app.get(url, { schema: { summary: 'Whether a live worker can run the model', params: url.includes(':version') ? versionParams : modelParams, response: { 200: z.object({ ready: z.literal(true) }), ...errors } } }, async (request) => {
      const meta = await knownModel(farm, request.params);
      const ready = (await farm.liveWorkers()).some((w) => w.serves.some((s) => s.compatKey === meta.compatKey));
      if (!ready) throw new HttpError(503, `no live worker can run plan ${meta.id}`);
      return { ready: true as const };
    });
  }

  // This server's counters (all its processes), since it started.
  const serverStats = async () => InferenceStats.merged(await app.peers.gather('inference-stats'));
  app.get('/v2/models/stats', { schema: { summary: 'KServe v2 / Triton statistics of every model inferred on by this API server', response: { 200: v2ModelStatsSchema } } }, async () => {
    const stats = await serverStats();
    return { model_stats: stats.models().map((model) => modelStats(model, stats.of(model))) };
  });

  for (const url of both('/stats')) {
    app.get(url, { schema: { summary: "KServe v2 / Triton statistics of a model (this API server's, since it started)", params: url.includes(':version') ? versionParams : modelParams, response: { 200: v2ModelStatsSchema, ...errors } } }, async (request) => {
      const meta = await knownModel(farm, request.params);
      return { model_stats: [modelStats(meta.id, (await serverStats()).of(meta.id))] };
    });
  }

  // Any Content-Type, or none: the body is read as bytes and parsed by parseV2Request (JSON, or
  // a JSON header and binary tensor data). Encapsulated, so that no other route takes such bodies.
  await app.register(async (inferApp) => {
    inferApp.removeAllContentTypeParsers();
    inferApp.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    for (const url of both('/infer')) {
      inferApp.post(
        url,
        {
          schema: {
            summary: 'KServe v2 inference, synchronous: JSON or the binary tensor data extension; FP32, FP16, BF16',
            params: url.includes(':version') ? versionParams : modelParams,
            // For the OpenAPI document: the body is bytes, checked by parseV2Request (the
            // binary extension puts raw tensor bytes after this JSON).
            body: v2InferRequestSchema,
            response: { 200: v2InferResponseSchema, ...errors },
          },
          validatorCompiler: (route) => (route.httpPart === 'body' ? (body: unknown) => ({ value: body }) : validatorCompiler(route as unknown as Parameters<typeof validatorCompiler>[0])),
        },
        (request, reply) => infer(farm, inference, request, reply),
      );
    }
  });
};

async function infer(farm: FarmServices, inference: FastifyInstance['inference'], request: FastifyRequest, reply: FastifyReply) {
  const meta = await knownModel(farm, request.params as ModelParams);
  const started = process.hrtime.bigint();
  let parsed;
  try {
    parsed = parseV2Request(request.body as Buffer | undefined, request.headers['inference-header-content-length'], meta);
  } catch (error) {
    inference.stats.recordFailure(meta.id, Number(process.hrtime.bigint() - started), 'REJECTED');
    throw error;
  }
  const result = await inference.run(meta, parsed.inputs, farm.config.maxWaitMs, false);
  if (result.status === 'failed') throw new HttpError(result.callerFault ? 400 : 500, result.error.message);
  if (result.status !== 'completed') {
    throw new HttpError(504, `inference ${result.id} did not finish within ${farm.config.maxWaitMs} ms; GET /v1/infer/${result.id} has it later`);
  }
  const answer = writeV2Answer(meta.id, parsed, result.outputs);
  if (answer.headerLength === undefined) return reply.type('application/json').send(answer.body);
  return reply.type('application/octet-stream').header('inference-header-content-length', answer.headerLength).send(answer.body);
}

async function knownModel(farm: FarmServices, params: ModelParams): Promise<PlanMeta> {
  const meta = await resolveModel(farm, params.model);
  if (!meta) throw new HttpError(404, `no model (plan) ${params.model}`);
  if ('version' in params && params.version !== VERSION) throw new HttpError(404, `model ${params.model} has no version ${params.version} (its one version is ${VERSION})`);
  return meta;
}

function modelStats(name: string, c: ModelCounters | undefined) {
  const d = (duration: { count: number; ns: number } | undefined) => ({ count: duration?.count ?? 0, ns: Math.round(duration?.ns ?? 0) });
  return {
    name,
    version: VERSION,
    last_inference: c?.lastInferenceMs ?? 0,
    inference_count: c?.inferenceCount ?? 0,
    execution_count: c?.executionCount ?? 0,
    inference_stats: { success: d(c?.success), fail: d(c?.fail), queue: d(c?.queue), compute_infer: d(c?.computeInfer) },
    batch_stats: [...(c?.batches ?? [])].sort(([a], [b]) => a - b).map(([batch_size, compute_infer]) => ({ batch_size, compute_infer: d(compute_infer) })),
  };
}
