// The API as a Fastify instance, ready to inject() or listen(): server.ts listens, tests
// inject. The caller owns nothing else: close() closes the queues and Redis connections.
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';

import type { FarmConfig } from '../shared/config.js';
import type { EngineAddon } from '../shared/engine/types.js';
import { BuildCancellation } from './builds/build-cancellation.js';
import { BuildSubmission } from './builds/build-submission.js';
import { PeerGather } from './cluster/peer-gather.js';
import { SweepService } from './builds/sweep-service.js';
import { FarmServices } from './farm-services.js';
import { installAuth } from './plugins/auth.js';
import { installBackpressure } from './plugins/backpressure.js';
import { installDashboard } from './plugins/dashboard.js';
import { InferenceService } from './infer/inference-jobs.js';
import { installDocs } from './plugins/docs.js';
import { installErrorHandling } from './plugins/error-handling.js';
import { installJsonBody } from './plugins/json-body.js';
import { installMetrics } from './plugins/metrics.js';
import { QueueCatalog } from './plugins/queue-catalog.js';
import { buildRoutes } from './routes/builds.js';
import { healthRoutes } from './routes/health.js';
import { inferRoutes } from './routes/infer.js';
import { planRoutes } from './routes/plans.js';
import { sweepRoutes } from './routes/sweeps.js';
import { tensorrtExportRoutes } from './routes/tensorrt-export.js';
import { installV2ErrorBodies, v2Routes } from './routes/v2.js';
import { workerRoutes } from './routes/workers.js';

declare module 'fastify' {
  interface FastifyInstance {
    farm: FarmServices;
    inference: InferenceService;
    peers: PeerGather;
  }
}

export interface AppOptions {
  config: FarmConfig;
  engine: EngineAddon; // for validating networks before they are queued
  logger?: boolean;
}

export async function buildApp({ config, engine, logger = true }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    bodyLimit: config.bodyLimitBytes,
    // Slow clients are cut off (408, then the connection closed): a request must arrive whole
    // within requestTimeout, its headers within headersTimeout, both checked every second. A
    // connection idle for longer than the longest inference wait (plus the headers' time) is
    // closed; an idle keep-alive one after keepAliveTimeout.
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.maxWaitMs + config.headersTimeoutMs,
    keepAliveTimeout: 5_000,
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, config.bodyLimitBytes);
  installJsonBody(app);
  installAuth(app, config.apiKeys);
  await installBackpressure(app, config);
  installV2ErrorBodies(app);

  const farm = new FarmServices(config);
  // Reconnection errors during an outage: logged, not thrown (requests meanwhile get 503).
  farm.redis.on('error', (error: Error) => app.log.warn({ err: error.message }, 'redis connection error'));
  await farm.open();
  app.decorate('farm', farm);
  app.decorate('inference', new InferenceService(farm, config));
  app.addHook('onClose', () => farm.close());
  // What /metrics and /v2/…/stats answer for all of this server's processes.
  const peers = new PeerGather();
  app.decorate('peers', peers);
  peers.provide('inference-stats', () => app.inference.stats.snapshot());
  app.addHook('onClose', async () => peers.close());

  // multipart/form-data uploads of POST /v1/builds and /v1/sweeps (their limits: model-upload.ts).
  await app.register(multipart);
  const submission = new BuildSubmission(farm, engine);
  const sweeps = new SweepService(farm, submission, new BuildCancellation(farm, submission.statuses));
  app.addHook('onClose', () => sweeps.close());

  await installDocs(app);
  const catalog = new QueueCatalog(farm);
  await installMetrics(app, catalog);
  await installDashboard(app, catalog);
  await app.register(buildRoutes, { submission });
  await app.register(sweepRoutes, { sweeps });
  await app.register(planRoutes);
  await app.register(tensorrtExportRoutes, { engine });
  await app.register(inferRoutes);
  await app.register(v2Routes);
  await app.register(workerRoutes);
  await app.register(healthRoutes);
  return app;
}
