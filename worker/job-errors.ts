// Which failures are worth another attempt. The engine's caller-fault codes mean the same job
// would fail again: BullMQ must not retry them, and the message must reach the client as is.
import { UnrecoverableError } from 'bullmq';

import { isCallerError } from '../shared/engine/addon.js';
import { ValidationError } from '../shared/network/validation-error.js';

export function asJobError(error: unknown): Error {
  if (isCallerError(error) || error instanceof ValidationError) return new UnrecoverableError(error.message);
  return error instanceof Error ? error : new Error(String(error));
}

// Runs a processor body, translating its failure for BullMQ.
export async function classifyFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asJobError(error);
  }
}
