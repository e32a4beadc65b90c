// The OpenAPI document, generated from the routes' zod schemas, at /docs (UI) and
// /docs/json. Registered before the routes so that it sees them all.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export async function installDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'trtfarm',
        description: 'A build farm for TensorRT-style inference engines: build plans from networks, run inferences.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
