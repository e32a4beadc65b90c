// One shape for every error answer — Fastify's { statusCode, error, message } — and one rule:
// what the caller got wrong is 4xx with a message naming it; a 5xx is a bug or an outage and
// its details go to the log, not to the caller.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { STATUS_CODES } from 'node:http';

import { isCallerError } from '../../shared/engine/addon.js';
import { ValidationError, type IssueLike } from '../../shared/network/validation-error.js';
import { statusOf } from '../error-status.js';

export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { statusCode, message } = describe(error, request, bodyLimit);
    if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url}` });
  });
}

function describe(error: FastifyError, request: FastifyRequest, bodyLimit: number): { statusCode: number; message: string } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    // Back to zod's issue form, so the message names places the way the network parser does.
    const issues: IssueLike[] = error.validation.map((entry) => ({
      code: entry.keyword,
      path: entry.instancePath.split('/').filter(Boolean),
      message: entry.message ?? 'invalid',
      errors: (entry.params as { errors?: IssueLike[][] }).errors,
    }));
    const context = error.validationContext ?? 'body';
    const input = context === 'body' ? request.body : context === 'querystring' ? request.query : request.params;
    const root = context === 'body' ? '' : context;
    const validation = ValidationError.fromIssues(issues, input, root);
    return { statusCode: statusOf(validation)!, message: validation.message };
  }
  const known = statusOf(error);
  if (known !== undefined) return { statusCode: known, message: error.message };
  if (isCallerError(error)) return { statusCode: 400, message: error.message };
  if (error.statusCode === undefined && isRedisOutage(error)) return { statusCode: 503, message: `Redis is unreachable (${error.message})` };
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { statusCode: 413, message: `request body is over the limit of ${bodyLimit} bytes (TRTFARM_BODY_LIMIT_BYTES)` };
  }
  // Errors made to be answered (ours, Fastify's) carry their status; anything else is a bug.
  const status = error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 600) return { statusCode: status, message: error.message };
  return { statusCode: 500, message: 'internal error' };
}

// ioredis's errors while the connection is down (the API's connection does not queue commands).
function isRedisOutage(error: Error): boolean {
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /enableOfflineQueue options is false|Connection is closed|ECONNREFUSED|ECONNRESET/.test(error.message)
  );
}
