// DELETE /v1/builds/:id (and a sweep's DELETE, for each variant): what has not finished stops.
// A job still waiting is removed (its record then answers failed: cancelled); a running one is
// stopped by the worker running it, told over the farm's cancel channel, which aborts the job's
// signal (BullMQ's Worker.cancelJob): the job fails as cancelled and the worker takes its next.
// Finished builds, and their plans, stay as they are.
import { farmKeys } from '../../shared/queue/names.js';
import type { FarmServices } from '../farm-services.js';
import type { BuildStatus } from '../schemas/builds.js';
import type { BuildStatusReader } from './build-status.js';

// How long DELETE waits for a running build to stop before it answers with its state.
const STOP_WAIT_MS = 2000;

export class BuildCancellation {
  constructor(
    private readonly farm: FarmServices,
    private readonly statuses: BuildStatusReader,
  ) {}

  // undefined: an unknown build.
  async cancel(id: string): Promise<BuildStatus | undefined> {
    const record = await this.farm.builds.get(id);
    const job = await this.statuses.job(id, record);
    const state = job ? await job.getState() : undefined;
    if (!job || state === 'completed' || state === 'failed') return this.statuses.status(id);
    await this.farm.builds.setCancelled(id);
    if (state !== 'active') {
      try {
        await job.remove();
        await this.farm.buildInputs.delete(id);
        return this.statuses.status(id);
      } catch {
        // Taken by a worker meanwhile (its lock refuses the removal): stopped as a running one.
      }
    }
    const watch = await this.farm.watchJob(record.queue!, id, STOP_WAIT_MS);
    await this.farm.redis.publish(farmKeys.cancelChannel(this.farm.config.queuePrefix), id);
    await watch.outcome;
    return this.statuses.status(id);
  }
}
