import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

import { HttpError } from '../http-error.js';
import { errorSchema } from '../schemas/common.js';

const readySchema = z.object({ status: z.literal('ready'), workers: z.number().int() });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { farm } = app;

  const live = async () => ({ status: 'ok' as const });
  // Ready: Redis answers and at least one worker is alive to take jobs.
  const ready = async () => {
    try {
      // The shared connection fails commands at once while Redis is down (no offline queue), but
      // a connection that is up can still hang on an unanswering server: readiness answers in 1 s.
      await Promise.race([farm.redis.ping(), sleep(1000).then(() => Promise.reject(new Error('no answer within 1 s')))]);
    } catch (error) {
      throw new HttpError(503, `Redis is unreachable: ${(error as Error).message}`);
    }
    const workers = (await farm.directory.live()).length;
    if (workers === 0) throw new HttpError(503, 'no worker is alive');
    return { status: 'ready' as const, workers };
  };

  const liveSchema = { summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } };
  const readinessSchema = { summary: 'Readiness: Redis reachable and ≥ 1 live worker', response: { 200: readySchema, 503: errorSchema } };
  app.get('/healthz', { schema: liveSchema }, live);
  app.get('/v2/health/live', { schema: liveSchema }, live);
  app.get('/readyz', { schema: readinessSchema }, ready);
  app.get('/v2/health/ready', { schema: readinessSchema }, ready);
};
