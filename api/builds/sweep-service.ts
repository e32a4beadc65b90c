// Sweeps: many builds of one network in one request, as a BullMQ flow — the sweep a parent job on
// the sweeps queue, each variant that needs building a child on its class's build queue, so the
// variants run in parallel on every worker that can take them. Each variant is an ordinary build
// (BuildSubmission: the id POST /v1/builds gives it), so a variant built before, or running for
// another request, is not built again and is only referred to; a failed child fails alone
// (ignoreDependencyOnFailure), and the parent runs once all of its children have finished. The
// sweep's record keeps its variants; its state is read from theirs.
import { FlowProducer } from 'bullmq';
import { randomUUID } from 'node:crypto';

import { contentHash } from '../../shared/network/content-hash.js';
import { NetworkIdentity, normalizeOptions, type BuildRequestOptions } from '../../shared/network/build-request.js';
import type { NetworkSpec, ProfileRange } from '../../shared/network/spec.js';
import { buildJobOptions } from '../../shared/queue/jobs.js';
import { farmKeys, SWEEP_QUEUE } from '../../shared/queue/names.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';
import type { BuildStatus } from '../schemas/builds.js';
import type { SweepOptions, SweepStatus } from '../schemas/sweeps.js';
import type { BuildCancellation } from './build-cancellation.js';
import { jobData, type BuildSubmission, type PreparedBuild } from './build-submission.js';

interface SweepVariant {
  id: string;
  precision: BuildRequestOptions['precision'];
  profile?: Record<string, ProfileRange>;
  backend: string;
}

interface SweepRecord {
  id: string;
  createdAt: string;
  batch: number;
  builds: SweepVariant[];
}

export class SweepService {
  private readonly flows: FlowProducer;

  constructor(
    private readonly farm: FarmServices,
    private readonly submission: BuildSubmission,
    private readonly cancellation: BuildCancellation,
  ) {
    this.flows = new FlowProducer({ connection: farm.redis, prefix: farm.config.queuePrefix });
  }

  async submit(network: NetworkSpec, options: SweepOptions): Promise<{ id: string; status: SweepStatus['status']; builds: SweepVariant[] }> {
    const identity = new NetworkIdentity(network);
    const workers = await this.farm.liveWorkers();
    // Every variant checked before anything is started: a bad one refuses the whole sweep.
    const prepared = new Map<string, PreparedBuild>();
    for (const build of this.submission.prepare(identity, network, variantsOf(options), workers)) prepared.set(build.id, build);
    const builds = [...prepared.values()];
    const batch = options.batch ?? Math.min(...builds.map((build) => optBatch(network, build.options)));
    const id = contentHash({ builds: builds.map((build) => build.id), batch });
    const record: SweepRecord = { id, createdAt: new Date().toISOString(), batch, builds: builds.map(variantOf) };
    await this.farm.redis.set(farmKeys.sweep(this.farm.config.queuePrefix, id), JSON.stringify(record));

    const children: PreparedBuild[] = [];
    for (const build of builds) {
      if (options.name) await this.submission.giveName(build.id, options.name);
      if ((await this.submission.start(build, network, identity.key)) === 'new') children.push(build);
    }
    await this.flows.add({
      name: 'sweep',
      queueName: SWEEP_QUEUE,
      data: { sweep: id },
      // The parent is bookkeeping: a fresh one for each submission, so a sweep posted again
      // never collides with its earlier parent.
      opts: { jobId: `${id}.${randomUUID()}`, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
      children: children.map((build) => ({
        name: 'build',
        queueName: build.queue,
        data: { ...jobData(build), reportBatches: [batch] },
        opts: { ...buildJobOptions, jobId: build.id, ignoreDependencyOnFailure: true },
      })),
    });
    const status = await this.status(id);
    return { id, status: status!.status, builds: record.builds };
  }

  // undefined: an unknown sweep.
  async status(id: string): Promise<SweepStatus | undefined> {
    const text = await this.farm.redis.get(farmKeys.sweep(this.farm.config.queuePrefix, id));
    if (!text) return undefined;
    const record = JSON.parse(text) as SweepRecord;
    const statuses = await Promise.all(record.builds.map((build) => this.submission.statuses.status(build.id)));
    const builds = record.builds.map((variant, i) => variantStatus(variant, statuses[i], record.batch));
    const finished = builds.filter((build) => build.status === 'completed' || build.status === 'failed').length;
    const started = builds.some((build) => build.status !== 'queued');
    const progress = builds.reduce((sum, build, i) => sum + (build.status === 'queued' || build.status === 'active' ? (statuses[i]?.progress ?? 0) : 100), 0) / builds.length;
    const status = finished === builds.length ? 'completed' : started ? 'active' : 'queued';
    const best = bestOf(builds, record.batch);
    return { id, status, progress: Math.floor(progress), batch: record.batch, builds, ...(best ? { best } : {}) };
  }

  async cancel(id: string): Promise<SweepStatus | undefined> {
    const status = await this.status(id);
    if (!status) return undefined;
    for (const build of status.builds) {
      if (build.status === 'queued' || build.status === 'active') await this.cancellation.cancel(build.id);
    }
    return this.status(id);
  }

  close(): Promise<void> {
    return this.flows.close();
  }
}

// The list form as given; the grid form as every combination (precision, then profile, then backend).
function variantsOf(options: SweepOptions): BuildRequestOptions[] {
  const report = options.report;
  if (options.variants) return options.variants.map((variant) => normalizeOptions({ ...variant, report }));
  const variants: BuildRequestOptions[] = [];
  for (const precision of options.precisions ?? ['fp32' as const])
    for (const profile of options.profiles ?? [undefined])
      for (const backend of options.backends ?? ['auto' as const]) variants.push(normalizeOptions({ precision, profile, backend, report }));
  return variants;
}

// The batch a variant is typically run at: its profile's opt batch, or the static batch.
function optBatch(network: NetworkSpec, options: BuildRequestOptions): number {
  const first = network.inputs[0];
  const range = options.profile?.[first.name];
  return range ? range.opt[0] : Math.max(1, first.shape[0]);
}

function variantOf(build: PreparedBuild): SweepVariant {
  const variant: SweepVariant = { id: build.id, precision: build.options.precision, backend: build.target.backend };
  if (build.options.profile) variant.profile = build.options.profile;
  return variant;
}

type VariantStatus = SweepStatus['builds'][number];

function variantStatus(variant: SweepVariant, status: BuildStatus | undefined, batch: number): VariantStatus {
  if (!status) return { ...variant, status: 'failed', error: { message: 'the build is no longer known (its failed job expired)' } };
  const { plan, error, deletedPlan } = status;
  const at = plan ? reportAt(plan, batch) : undefined;
  return {
    ...variant,
    status: status.status,
    ...(plan ? { plan } : {}),
    ...(error ? { error } : {}),
    ...(deletedPlan ? { deletedPlan } : {}),
    ...(at ? { atBatch: at } : {}),
  };
}

function reportAt(plan: PlanMeta, batch: number): VariantStatus['atBatch'] {
  const latency = plan.report?.latency.find((entry) => entry.batch === batch);
  const throughput = plan.report?.throughput.find((entry) => entry.batch === batch);
  if (!latency || !throughput) return undefined;
  return { batch, p50Ms: latency.p50Ms, p99Ms: latency.p99Ms, rowsPerSecond: throughput.rowsPerSecond };
}

// Among plans whose accuracy passes and which were measured at the sweep's batch (their profile
// admits it), the lowest p50 latency there.
function bestOf(builds: VariantStatus[], batch: number): SweepStatus['best'] {
  const candidates = builds.filter((build) => build.plan?.report?.accuracy.pass && build.atBatch);
  if (candidates.length === 0) return undefined;
  const best = candidates.reduce((a, b) => (b.atBatch!.p50Ms < a.atBatch!.p50Ms ? b : a));
  return {
    planId: best.plan!.id,
    buildId: best.id,
    why: `lowest p50 latency at batch ${batch} (${best.atBatch!.p50Ms.toFixed(3)} ms, ${best.precision} on ${best.backend}) among ${candidates.length} plans whose accuracy passes`,
  };
}
