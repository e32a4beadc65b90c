// The OpenAPI document, generated from the routes' zod schemas, at /docs (UI) and /docs/json.
// Registered before the routes so that it sees them all. Here, in one place, what generated
// clients need beyond the schemas: an operationId and a tag for every route (routes that say
// their own keep them), named component schemas, the bearer security scheme, the plan's media
// type, and examples for the main routes.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { buildRequestSchema } from '../../shared/network/build-request.js';
import { buildAcceptedSchema, buildStatusSchema } from '../schemas/builds.js';
import { errorSchema } from '../schemas/common.js';
import { inferRequestSchema, inferStatusSchema } from '../schemas/infer.js';
import { planMetaSchema } from '../../shared/store/plan-meta.js';
import { v2InferRequestSchema, v2InferResponseSchema, v2ModelMetadataSchema } from '../schemas/v2.js';
import { isOpenPath } from './auth.js';
import { DASHBOARD_PATH } from './dashboard.js';

const components = z.registry<{ id: string }>();
components.add(planMetaSchema, { id: 'PlanMeta' });
components.add(errorSchema, { id: 'Error' });
components.add(buildRequestSchema, { id: 'BuildRequest' });
components.add(buildStatusSchema, { id: 'BuildStatus' });
components.add(buildAcceptedSchema, { id: 'BuildAccepted' });
components.add(inferRequestSchema, { id: 'InferRequest' });
components.add(inferStatusSchema, { id: 'InferStatus' });
components.add(v2InferRequestSchema, { id: 'V2InferRequest' });
components.add(v2InferResponseSchema, { id: 'V2InferResponse' });
components.add(v2ModelMetadataSchema, { id: 'V2ModelMetadata' });

// The seed network (see the README): one fully connected layer, 60 inputs, 2 outputs.
const seedNetwork = {
  inputs: [{ name: 'x', shape: [1, 3, 4, 5] }],
  layers: [{ name: 'fc', type: 'fullyConnected', outputs: 2, weights: [...Array(60).fill(1), ...Array(60).fill(-1)] }],
};
const seedData = Array.from({ length: 60 }, (_, i) => i);
const examplePlan = '3f1c0c9e8d3b2a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7';
const exampleBuild = '9b2d6f0e4c8a1b3d5f7e9c0a2b4d6f8e0c1a3b5d7f9e2c4a6b8d0f1e3c5a7b9d';

interface RouteDoc {
  operationId: string;
  tag: string;
  body?: unknown; // an example request body
  responses?: Record<number, unknown>; // example answers
}

const ROUTES: Record<string, RouteDoc> = {
  'POST /v1/builds': {
    operationId: 'createBuild',
    tag: 'builds',
    body: { network: seedNetwork, precision: 'fp32', backend: 'auto' },
    responses: { 202: { id: exampleBuild, status: 'queued' } },
  },
  'GET /v1/builds/:id': { operationId: 'getBuild', tag: 'builds', responses: { 200: { id: exampleBuild, status: 'active', progress: 40 } } },
  'DELETE /v1/builds/:id': { operationId: 'cancelBuild', tag: 'builds' },
  'POST /v1/sweeps': { operationId: 'createSweep', tag: 'sweeps' },
  'GET /v1/sweeps/:id': { operationId: 'getSweep', tag: 'sweeps' },
  'DELETE /v1/sweeps/:id': { operationId: 'cancelSweep', tag: 'sweeps' },
  'GET /v1/plans': { operationId: 'listPlans', tag: 'plans' },
  'GET /v1/plans/:planId': { operationId: 'getPlan', tag: 'plans' },
  'DELETE /v1/plans/:planId': { operationId: 'deletePlan', tag: 'plans' },
  'GET /v1/plans/:planId/meta': { operationId: 'getPlanMeta', tag: 'plans' },
  'POST /v1/infer': {
    operationId: 'createInference',
    tag: 'inference',
    body: { plan: examplePlan, inputs: { x: { shape: [1, 3, 4, 5], data: seedData } } },
    responses: { 200: { id: 'infer.cpu-1.0b7e4f64-3c1d-4a8e-9f2b-5d6c7e8f9a0b', status: 'completed', outputs: { fc: { shape: [1, 2, 1, 1], data: [1770, -1770] } } } },
  },
  'GET /v1/infer/:id': { operationId: 'getInference', tag: 'inference' },
  'GET /v1/workers': { operationId: 'listWorkers', tag: 'workers' },
  'GET /v2': { operationId: 'serverMetadata', tag: 'kserve' },
  'GET /v2/models/:model': { operationId: 'modelMetadata', tag: 'kserve' },
  'GET /v2/models/:model/versions/:version': { operationId: 'modelVersionMetadata', tag: 'kserve' },
  'GET /v2/models/:model/ready': { operationId: 'modelReady', tag: 'kserve' },
  'GET /v2/models/:model/versions/:version/ready': { operationId: 'modelVersionReady', tag: 'kserve' },
  'GET /v2/models/stats': { operationId: 'modelsStatistics', tag: 'kserve' },
  'GET /v2/models/:model/stats': { operationId: 'modelStatistics', tag: 'kserve' },
  'GET /v2/models/:model/versions/:version/stats': { operationId: 'modelVersionStatistics', tag: 'kserve' },
  'POST /v2/models/:model/infer': {
    operationId: 'modelInfer',
    tag: 'kserve',
    body: { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: seedData }] },
    responses: { 200: { model_name: examplePlan, outputs: [{ name: 'fc', shape: [1, 2, 1, 1], datatype: 'FP32', data: [1770, -1770] }] } },
  },
  'POST /v2/models/:model/versions/:version/infer': { operationId: 'modelVersionInfer', tag: 'kserve' },
  'GET /healthz': { operationId: 'healthz', tag: 'health' },
  'GET /readyz': { operationId: 'readyz', tag: 'health' },
  'GET /readyz/api': { operationId: 'apiReady', tag: 'health' },
  'GET /v2/health/live': { operationId: 'serverLive', tag: 'health' },
  'GET /v2/health/ready': { operationId: 'serverReady', tag: 'health' },
  'GET /metrics': { operationId: 'metrics', tag: 'metrics' },
};

// Answers that are not JSON.
const MEDIA_TYPES: Record<string, { status: number; type: string; description: string; schema: object }> = {
  'GET /v1/plans/:planId': { status: 200, type: 'application/octet-stream', description: 'the plan bytes', schema: { type: 'string', format: 'binary' } },
  'GET /metrics': { status: 200, type: 'text/plain; version=0.0.4', description: 'Prometheus text format', schema: { type: 'string' } },
};

// For a route added later without an entry above: `GET /v1/things/:id` → getV1ThingsById, tag "things".
function derived(method: string, url: string): RouteDoc {
  const words = url
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By${part[1].toUpperCase()}${part.slice(2)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  const operationId = method.toLowerCase() + words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  const tag = url.startsWith('/v2') ? 'kserve' : (url.split('/')[2] ?? 'other');
  return { operationId, tag };
}

const zodTransform = createJsonSchemaTransform({ schemaRegistry: components });
type TransformInput = Parameters<typeof zodTransform>[0];
type Schema = Record<string, unknown> & { response?: Record<string, unknown>; body?: Record<string, unknown> };

function transform(document: TransformInput) {
  const { url, route } = document;
  if (url.startsWith(DASHBOARD_PATH) || url.startsWith('/docs')) return { schema: { hide: true }, url };
  const result = zodTransform(document);
  const schema = (result.schema ?? {}) as Schema;
  const method = [route.method].flat()[0];
  const key = `${method} ${url}`;
  const doc = ROUTES[key] ?? derived(method, url);
  schema.operationId ??= doc.operationId;
  schema.tags ??= [doc.tag];
  if (isOpenPath(url)) schema.security = [];
  const media = MEDIA_TYPES[key];
  if (media) {
    schema.response = {
      ...schema.response,
      [media.status]: { description: media.description, content: { [media.type]: { schema: media.schema } } },
    };
  }
  return { schema, url: result.url };
}

const zodTransformObject = createJsonSchemaTransformObject({ schemaRegistry: components });
type OpenApiDocument = ReturnType<typeof zodTransformObject>;
type Operation = {
  requestBody?: { content?: Record<string, { example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
};

// Examples are set on the finished document: schemas that are component references lose
// whatever stands beside their $ref on the way.
function withExamples(document: OpenApiDocument): OpenApiDocument {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Operation>>;
  for (const [key, doc] of Object.entries(ROUTES)) {
    const [method, url] = key.split(' ');
    const operation = paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    if (!operation) continue;
    const json = operation.requestBody?.content?.['application/json'];
    if (doc.body && json) json.example = doc.body;
    for (const [status, example] of Object.entries(doc.responses ?? {})) {
      const answer = operation.responses?.[status]?.content?.['application/json'];
      if (answer) answer.example = example;
    }
  }
  return document;
}

export async function installDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'trtfarm',
        description: 'A build farm for TensorRT-style inference engines: build plans from networks, run inferences.',
        version: '0.1.0',
      },
      // Relative: the document is right wherever the API is reached (npm start: http://127.0.0.1:8080).
      servers: [{ url: '/', description: 'this farm' }],
      tags: [
        { name: 'builds', description: 'build plans from networks (JSON or ONNX)' },
        { name: 'sweeps', description: 'many builds of one network' },
        { name: 'plans', description: 'stored plans and their metas' },
        { name: 'inference', description: "trtfarm's own inference API" },
        { name: 'kserve', description: 'the KServe v2 / Triton HTTP protocol' },
        { name: 'workers', description: 'the live workers' },
        { name: 'health', description: 'liveness and readiness (no key needed)' },
        { name: 'metrics', description: 'Prometheus metrics (no key needed)' },
      ],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'one of TRTFARM_API_KEYS (when set): Authorization: Bearer <key>' },
        },
      },
      security: [{ apiKey: [] }],
    },
    transform,
    transformObject: (document) => withExamples(zodTransformObject(document)),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
