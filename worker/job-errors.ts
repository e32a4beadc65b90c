// Which failures are worth another attempt. The engine's caller-fault codes mean the same job
// would fail again: BullMQ must not retry them, and the message must reach the client as is.
import { UnrecoverableError } from 'bullmq';

import type { EngineErrorCode } from '../shared/engine/types.js';

const PERMANENT: ReadonlySet<EngineErrorCode> = new Set(['E_NETWORK', 'E_INPUT', 'E_PLAN', 'E_COMPAT']);

export function asJobError(error: unknown): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && PERMANENT.has(code as EngineErrorCode)) return new UnrecoverableError(message);
  return error instanceof Error ? error : new Error(message);
}

// Runs a processor body, translating its failure for BullMQ.
export async function classifyFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asJobError(error);
  }
}
