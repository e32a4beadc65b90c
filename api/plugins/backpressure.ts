// Backpressure: an API that is full answers 503 with Retry-After at once instead of queueing
// without bound. Two bounds: synchronous requests held open while they wait for an inference
// (KServe v2 infer, v1 infer with ?wait) at most TRTFARM_MAX_PENDING_SYNC at once, and the
// event loop's delay (@fastify/under-pressure) at most TRTFARM_MAX_EVENT_LOOP_DELAY_MS. The
// probes and /metrics are never refused: a busy API is still alive, and still to be watched.
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { isOpenPath } from './auth.js';

const RETRY_AFTER_S = 1;

// Routes whose requests wait for an inference to finish before they are answered.
export function isSynchronous(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? '';
  if (request.method !== 'POST') return false;
  if (route.startsWith('/v2/models/') && route.endsWith('/infer')) return true;
  const wait = (request.query as { wait?: unknown } | undefined)?.wait;
  return route === '/v1/infer' && wait !== undefined && wait !== '0' && wait !== 0;
}

// Sets the status and header; the caller sends the body.
function refusal(reply: FastifyReply, message: string) {
  reply.code(503).header('retry-after', String(RETRY_AFTER_S));
  return { statusCode: 503, error: 'Service Unavailable', message };
}

export async function installBackpressure(app: FastifyInstance, options: { maxPendingSync: number; maxEventLoopDelayMs: number }): Promise<void> {
  let pending = 0;
  const counted = new WeakSet<FastifyRequest>();
  const release = async (request: FastifyRequest) => {
    if (counted.delete(request)) pending--;
  };
  app.addHook('onRequest', async (request, reply) => {
    if (!isSynchronous(request)) return;
    if (pending >= options.maxPendingSync) {
      return reply.send(refusal(reply, `too many synchronous requests waiting (${pending}, TRTFARM_MAX_PENDING_SYNC): retry later, or use POST /v1/infer without wait and poll`));
    }
    pending++;
    counted.add(request);
  });
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  if (options.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      retryAfter: RETRY_AFTER_S,
      // under-pressure sends what its handler returns, and goes on with the request when it
      // returns nothing; its types admit only the latter.
      pressureHandler: ((request: FastifyRequest, reply: FastifyReply, _type: string, value: number | undefined) => {
        if (isOpenPath(request.url.split('?', 1)[0])) return undefined;
        return refusal(reply, `the API is overloaded (event-loop delay ${Math.round(Number(value))} ms > TRTFARM_MAX_EVENT_LOOP_DELAY_MS): retry later`);
      }) as unknown as () => void,
    });
  }
}
