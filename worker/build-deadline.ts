// A build as the worker runs it, within the limits: the engine is given BUILD_LIMITS (it refuses
// a network whose plan or folded constants would exceed them, as the API's validate did) and a
// signal that is aborted once the build has run for TRTFARM_BUILD_TIMEOUT_MS, which cancels it.
// Either is the network's fault, not the machine's: a ValidationError (413), never retried.
import type { BuildResult, EngineAddon } from '../shared/engine/types.js';
import { BUILD_LIMITS, limitRefusal } from '../shared/network/limits.js';
import type { BuildOptions, NetworkSpec } from '../shared/network/spec.js';
import { ValidationError } from '../shared/network/validation-error.js';

export async function buildWithinDeadline(
  engine: Pick<EngineAddon, 'build'>,
  network: NetworkSpec,
  options: BuildOptions,
  timeoutMs: number,
  onProgress?: (fraction: number, stage: string) => void,
): Promise<BuildResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    return await engine.build(network, { ...options, limits: BUILD_LIMITS }, onProgress, { signal: deadline.signal });
  } catch (error) {
    if (deadline.signal.aborted) {
      throw new ValidationError(`the build ran past its time limit of ${timeoutMs} ms (TRTFARM_BUILD_TIMEOUT_MS) and was cancelled`, 413);
    }
    throw limitRefusal(error) ?? error;
  } finally {
    clearTimeout(timer);
  }
}
