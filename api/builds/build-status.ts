// A build's state, read so that concurrent polls never see a half-finished transition: the job's
// state is read after the job, and a completed build's plan comes from the build index, which the
// worker writes before it completes the job (a job read while active holds no result yet).
import type { Job } from 'bullmq';

import { CANCELLED_MESSAGE, planMetaOfBuild, type BuildRecord } from '../../shared/queue/build-index.js';
import type { BuildJobData, BuildJobResult } from '../../shared/queue/jobs.js';
import type { FarmServices } from '../farm-services.js';
import type { BuildStatus } from '../schemas/builds.js';
import { contractStatus } from '../schemas/common.js';

type BuildJob = Job<BuildJobData, BuildJobResult>;

export class BuildStatusReader {
  constructor(private readonly farm: FarmServices) {}

  async job(id: string, record?: BuildRecord): Promise<BuildJob | undefined> {
    const { queue } = record ?? (await this.farm.builds.get(id));
    return queue ? ((await this.farm.queue(queue).getJob(id)) as BuildJob | undefined) : undefined;
  }

  // undefined: an unknown build.
  async status(id: string): Promise<BuildStatus | undefined> {
    const record = await this.farm.builds.get(id);
    const job = await this.job(id, record);
    if (!job) {
      if (record.plan) return this.planStatus(id, record);
      return record.cancelled ? { id, status: 'failed', progress: 0, error: { message: CANCELLED_MESSAGE } } : undefined;
    }
    const status = contractStatus(await job.getState());
    if (status === 'completed') {
      // Read again: the record may have been completed after the first read.
      const now = record.plan ? record : await this.farm.builds.get(id);
      if (now.plan) return this.planStatus(id, now);
      const fresh = await this.job(id, now);
      if (fresh?.returnvalue) return { id, status, progress: 100, plan: fresh.returnvalue.meta };
    }
    if (status === 'failed') {
      // A job read just before it failed has no reason yet.
      const reason = job.failedReason ?? (await this.job(id, record))?.failedReason ?? 'failed';
      return { id, status, progress: progressOf(job), error: { message: reason } };
    }
    return { id, status: status === 'completed' ? 'active' : status, progress: progressOf(job) };
  }

  private async planStatus(id: string, record: BuildRecord): Promise<BuildStatus> {
    const meta = await this.farm.planMeta(record.plan!);
    if (!meta) return { id, status: 'completed', progress: 100, deletedPlan: record.plan };
    return { id, status: 'completed', progress: 100, plan: record.own ? planMetaOfBuild(meta, id, record.own) : meta };
  }
}

function progressOf(job: BuildJob): number {
  return typeof job.progress === 'number' ? job.progress : 0;
}
