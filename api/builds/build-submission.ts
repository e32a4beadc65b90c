// The build-submission protocol, for POST /v1/builds and for every variant of a sweep: route and
// check a request, derive its id, and start it unless it exists — a completed build answers with
// its plan, a queued or active one with its state, a failed one is tried again, and a new one gets
// its build-index record and its input before its job (so a worker never takes a job without one).
import type { EngineAddon } from '../../shared/engine/types.js';
import { buildId, NetworkIdentity, type BuildRequestOptions, type NamedBuildRequest } from '../../shared/network/build-request.js';
import { validateWithinLimits } from '../../shared/network/limits.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { buildJobOptions, type BuildJobData } from '../../shared/queue/jobs.js';
import { queueName } from '../../shared/queue/names.js';
import { routeBuild } from '../../shared/queue/routing.js';
import type { ServedClass, WorkerRecord } from '../../shared/queue/worker-record.js';
import type { FarmServices } from '../farm-services.js';
import type { BuildStatus } from '../schemas/builds.js';
import { BuildStatusReader } from './build-status.js';

export interface PreparedBuild {
  id: string;
  options: BuildRequestOptions;
  target: ServedClass;
  queue: string;
}

export interface Submitted {
  code: 200 | 202;
  body: BuildStatus;
}

export class BuildSubmission {
  readonly statuses: BuildStatusReader;

  constructor(
    private readonly farm: FarmServices,
    private readonly engine: EngineAddon,
  ) {
    this.statuses = new BuildStatusReader(farm);
  }

  // Routes each variant of a network to a class of live workers and checks it there (shape
  // inference, profile against shapes, the built plan's limits; synchronous), the network handed to
  // the engine once for all variants (its weights are copied each time): a network that cannot
  // build is refused here rather than failing in a worker. Throws 4xx/503 errors.
  prepare(identity: NetworkIdentity, network: NetworkSpec, variants: BuildRequestOptions[], workers: WorkerRecord[]): PreparedBuild[] {
    const targets = variants.map((options) => routeBuild(workers, options.backend, options.precision));
    validateWithinLimits(
      this.engine,
      network,
      variants.map((options, i) => ({ precision: options.precision, profile: options.profile, backend: targets[i].backend })),
    );
    return variants.map((options, i) => ({
      id: buildId(identity.requestId(options), targets[i].compatKey),
      options,
      target: targets[i],
      queue: queueName('build', targets[i].compatKey),
    }));
  }

  async submit(request: NamedBuildRequest): Promise<Submitted> {
    const identity = new NetworkIdentity(request.network);
    const [build] = this.prepare(identity, request.network, [request.options], await this.farm.liveWorkers());
    if (request.name) await this.giveName(build.id, request.name);
    const started = await this.start(build, request.network, identity.key);
    if (started !== 'new') return started;
    const job = await this.farm.queue(build.queue).add('build', jobData(build), { ...buildJobOptions, jobId: build.id });
    // A twin request's job that completed meanwhile (its input deleted) is not run again: our
    // copy of the input would only wait for its expiry.
    if ((await job.getState()) === 'completed') await this.farm.buildInputs.delete(build.id);
    return { code: 202, body: { id: build.id, status: 'queued', progress: 0 } };
  }

  // Starts what needs starting. 'new': the record and input are written, the caller adds the job
  // (alone, or as a sweep's flow child); otherwise the answer for a build that exists.
  async start(build: PreparedBuild, network: NetworkSpec, networkKey: string): Promise<Submitted | 'new'> {
    const { id } = build;
    const known = await this.statuses.status(id);
    if (known?.status === 'completed' && known.plan) return { code: 200, body: known };
    if (known?.status === 'queued' || known?.status === 'active') return { code: 202, body: { id, status: known.status, progress: known.progress } };
    const job = known ? await this.statuses.job(id) : undefined;
    if (known?.status === 'failed' && job) {
      // Tried again: a failure may have been the machine's (its retries spent). Its input is
      // written again, in case it expired meanwhile.
      await this.farm.builds.setQueue(id, build.queue);
      await this.farm.buildInputs.put(id, { network, options: build.options }, networkKey);
      try {
        // With its attempts counted afresh, so that the machine's failures get their retries again.
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } catch (error) {
        // A twin request retried it first: the job is no longer failed.
        const now = await this.statuses.status(id);
        if (!now || now.status === 'failed') throw error;
        return { code: now.status === 'completed' ? 200 : 202, body: now };
      }
      return { code: 202, body: { id, status: 'queued', progress: 0 } };
    }
    // New, cancelled before it ran (its job removed), or its plan deleted (its old job, if still
    // kept, makes way for the new one).
    if (job) await job.remove();
    await this.farm.builds.setQueue(id, build.queue);
    await this.farm.buildInputs.put(id, { network, options: build.options }, networkKey);
    return 'new';
  }

  // The name is attached to the plan once built; to a plan that exists, now. The worker does the
  // same after recording the plan, so one side or the other sees both.
  async giveName(id: string, name: string): Promise<void> {
    await this.farm.builds.addName(id, name);
    const { plan } = await this.farm.builds.get(id);
    if (plan) await this.farm.catalog.giveNames(plan, [name]);
  }
}

export function jobData(build: PreparedBuild): BuildJobData {
  return { backend: build.target.backend, compatKey: build.target.compatKey };
}
