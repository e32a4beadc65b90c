// The HTTP status of the errors shared/ throws, which say what went wrong, not how to answer it.
import { RoutingError } from '../shared/queue/routing.js';
import { ValidationError } from '../shared/network/validation-error.js';

export function statusOf(error: Error): number | undefined {
  if (error instanceof ValidationError) return error.kind === 'over-limit' ? 413 : 400;
  if (error instanceof RoutingError) return error.kind === 'unavailable' ? 503 : 422;
  return undefined;
}
