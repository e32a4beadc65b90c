import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

import { HttpError } from '../http-error.js';
import { errorSchema } from '../schemas/common.js';

const readySchema = z.object({ status: z.literal('ready'), workers: z.number().int() });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { farm } = app;

  const live = async () => ({ status: 'ok' as const });
  const redisReachable = async () => {
    try {
      // The shared connection fails commands at once while Redis is down (no offline queue), but
      // a connection that is up can still hang on an unanswering server: readiness answers in 1 s.
      await Promise.race([farm.redis.ping(), sleep(1000).then(() => Promise.reject(new Error('no answer within 1 s')))]);
    } catch (error) {
      throw new HttpError(503, `Redis is unreachable: ${(error as Error).message}`);
    }
  };
  // The API process's own readiness (a load balancer's, Kubernetes'): it answers as long as Redis
  // does, also while no worker is alive, so that an API replica stays in its Service while workers
  // restart. (/readyz keeps the contract's meaning: the farm's readiness.)
  const apiReady = async () => {
    await redisReachable();
    return { status: 'ready' as const, workers: (await farm.directory.live()).length };
  };
  // The farm's readiness (KServe v2's server ready): Redis answers and a worker is alive to take jobs.
  const farmReady = async () => {
    const answer = await apiReady();
    if (answer.workers === 0) throw new HttpError(503, 'no worker is alive');
    return answer;
  };

  const liveSchema = { summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } };
  const apiReadySchema = { summary: 'API readiness: Redis reachable (workers may be none)', response: { 200: readySchema, 503: errorSchema } };
  const farmReadySchema = { summary: 'Farm readiness: Redis reachable and ≥ 1 live worker', response: { 200: readySchema, 503: errorSchema } };
  app.get('/healthz', { schema: liveSchema }, live);
  app.get('/v2/health/live', { schema: liveSchema }, live);
  app.get('/readyz', { schema: farmReadySchema }, farmReady);
  app.get('/readyz/api', { schema: apiReadySchema }, apiReady);
  app.get('/v2/health/ready', { schema: farmReadySchema }, farmReady);
};
