// The typed loader of the native addon (native/src/addon), built by `npm run build:native`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { addonPath } from './addon-path.js';
import type { EngineAddon, EngineErrorCode } from './types.js';

function loadAddon(): EngineAddon {
  if (!existsSync(addonPath)) {
    throw new Error(`the trtfarm native addon is not built (${addonPath} is missing): run npm run build:native`);
  }
  return createRequire(import.meta.url)(addonPath) as EngineAddon;
}

export const engine: EngineAddon = loadAddon();

const ENGINE_ERROR_CODES: readonly EngineErrorCode[] = ['E_NETWORK', 'E_INPUT', 'E_PLAN', 'E_COMPAT', 'E_BACKEND', 'E_RUNTIME', 'E_CANCELLED'];
// The caller's fault: a 4xx, and never worth retrying. E_BACKEND and E_RUNTIME are the machine's.
const CALLER_ERROR_CODES: readonly EngineErrorCode[] = ['E_NETWORK', 'E_INPUT', 'E_PLAN', 'E_COMPAT'];

export interface EngineError extends Error {
  code: EngineErrorCode;
  // E_NETWORK over one of the build's options.limits: which one (a request too large, 413).
  limit?: 'planBytes' | 'foldedBytes' | 'foldFlops';
}

// True for an error thrown or rejected by the addon (with `code`, that code only).
export function isEngineError(err: unknown, code?: EngineErrorCode): err is EngineError {
  if (!(err instanceof Error)) return false;
  const actual = (err as Partial<EngineError>).code;
  return ENGINE_ERROR_CODES.includes(actual as EngineErrorCode) && (code === undefined || actual === code);
}

export function isCallerError(err: unknown): err is EngineError {
  return isEngineError(err) && CALLER_ERROR_CODES.includes(err.code);
}
