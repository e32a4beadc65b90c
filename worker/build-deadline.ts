// A build as the worker runs it, within the limits: the engine is given BUILD_LIMITS (it refuses
// a network whose plan or constant folding would exceed them, as the API's validate did) and a
// signal that is aborted once the build has run for TRTFARM_BUILD_TIMEOUT_MS, which cancels it
// (E_CANCELLED). Either is the network's fault, not the machine's: a ValidationError (413), never
// retried. `signal` (the caller's, e.g. a cancelled job) cancels it too, and its rejection is
// passed on as the engine gave it.
import type { BuildResult, EngineAddon, EngineBuildOptions } from '../shared/engine/types.js';
import { BUILD_LIMITS, limitRefusal } from '../shared/network/limits.js';
import type { NetworkSpec } from '../shared/network/spec.js';
import { ValidationError } from '../shared/network/validation-error.js';

export interface BuildDeadline {
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

export async function buildWithinDeadline(
  engine: Pick<EngineAddon, 'build'>,
  network: NetworkSpec,
  options: EngineBuildOptions,
  { timeoutMs, signal, onProgress }: BuildDeadline,
): Promise<BuildResult> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    return await engine.build(network, { ...options, limits: BUILD_LIMITS }, onProgress, { signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
  } catch (error) {
    if (deadline.aborted && !signal?.aborted) {
      throw new ValidationError(`the build ran past its time limit of ${timeoutMs} ms (TRTFARM_BUILD_TIMEOUT_MS) and was cancelled`, 'over-limit');
    }
    throw limitRefusal(error) ?? error;
  }
}
