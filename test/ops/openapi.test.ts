// The OpenAPI document at /docs/json as generated clients need it: an operationId (unique) and
// a known tag on every operation, named component schemas, servers, the bearer security scheme
// (not on the probes), the plan's octet-stream media type, and examples that the API accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildRequestSchema } from '../../shared/network/build-request.js';
import { inferRequestSchema } from '../../api/schemas/infer.js';
import { v2InferRequestSchema } from '../../api/schemas/v2.js';
import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: { $ref?: string }; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string }; example?: unknown }> }>;
}

describe('the OpenAPI document', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f));

  const document = async () => (await farm.get('/docs/json')).json();

  it('gives every operation a unique operationId and a declared tag, and hides the dashboard and docs routes', async () => {
    const doc = await document();
    const declared = new Set((doc.tags as { name: string }[]).map((tag) => tag.name));
    const ids = new Set<string>();
    for (const [url, methods] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      assert.ok(!url.startsWith('/ui') && !url.startsWith('/docs'), `${url} is not an API route`);
      for (const [method, operation] of Object.entries(methods)) {
        assert.match(operation.operationId ?? '', /^[a-z][A-Za-z0-9]+$/, `${method} ${url}`);
        assert.ok(!ids.has(operation.operationId!), `operationId ${operation.operationId} twice`);
        ids.add(operation.operationId!);
        assert.ok(operation.tags?.length && operation.tags.every((tag) => declared.has(tag)), `${method} ${url} tags ${operation.tags}`);
      }
    }
    assert.equal(doc.paths['/v1/builds'].post.operationId, 'createBuild');
    assert.equal(doc.paths['/v1/plans/{planId}/meta'].get.operationId, 'getPlanMeta');
  });

  it('names its main schemas as components and refers to them', async () => {
    const doc = await document();
    for (const name of ['PlanMeta', 'Error', 'BuildRequestInput', 'BuildStatus', 'BuildAccepted', 'InferRequestInput', 'InferStatus', 'V2InferRequestInput', 'V2InferResponse']) {
      assert.ok(doc.components.schemas[name], `components.schemas.${name}`);
    }
    assert.equal(doc.paths['/v1/plans/{planId}/meta'].get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/PlanMeta');
    assert.equal(doc.paths['/v1/builds'].post.requestBody.content['application/json'].schema.$ref, '#/components/schemas/BuildRequestInput');
    assert.ok(doc.components.schemas.PlanMeta.properties.buildMs);
  });

  it('has servers and a bearer security scheme applied everywhere but the probes and /metrics', async () => {
    const doc = await document();
    assert.ok(doc.servers.length > 0 && doc.servers.every((server: { url: string }) => typeof server.url === 'string'));
    assert.deepEqual(doc.components.securitySchemes.apiKey.type, 'http');
    assert.deepEqual(doc.components.securitySchemes.apiKey.scheme, 'bearer');
    assert.deepEqual(doc.security, [{ apiKey: [] }]);
    for (const url of ['/healthz', '/readyz', '/readyz/api', '/v2/health/live', '/v2/health/ready', '/metrics']) assert.deepEqual(doc.paths[url].get.security, [], url);
    assert.equal(doc.paths['/v1/workers'].get.security, undefined, 'the document-wide scheme applies');
  });

  it('documents GET /v1/plans/{planId} as application/octet-stream and /metrics as Prometheus text', async () => {
    const doc = await document();
    assert.deepEqual(Object.keys(doc.paths['/v1/plans/{planId}'].get.responses['200'].content), ['application/octet-stream']);
    const plan = (await farm.build({ network: { inputs: [{ name: 'x', shape: [1, 2] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 1, weights: [0.5, -2] }] } })).plan;
    const served = await farm.get(`/v1/plans/${plan.id}`);
    assert.equal(served.headers['content-type'], 'application/octet-stream');
    assert.match(Object.keys(doc.paths['/metrics'].get.responses['200'].content)[0], /^text\/plain/);
  });

  it('carries examples for the main routes that the request schemas accept', async () => {
    const doc = await document();
    const example = (url: string) => doc.paths[url].post.requestBody.content['application/json'].example;
    assert.ok(buildRequestSchema.safeParse(example('/v1/builds')).success);
    assert.ok(inferRequestSchema.safeParse(example('/v1/infer')).success);
    assert.ok(v2InferRequestSchema.safeParse(example('/v2/models/{model}/infer')).success);
    // The build example is the seed: the farm builds it.
    const built = await farm.build(example('/v1/builds'));
    assert.equal(built.status, 'completed');
    assert.deepEqual(doc.paths['/v1/builds'].post.responses['202'].content['application/json'].example.status, 'queued');
  });
});
