// build, sweep, status: submitting builds and following them.
import { FarmError } from './farm-error.js';
import type { FarmClient } from './farm-client.js';
import { readModelFile } from './model-file.js';
import { parseProfile, type Profile } from './profile-option.js';
import { table } from './table.js';
import { waitFor, type JobState } from './wait-for.js';

interface PlanSummary {
  id: string;
  backend: string;
  precision: string;
  bytes: number;
  buildMs: number;
  batch?: { min: number; opt: number; max: number };
  report?: {
    latency?: { batch: number; p50Ms: number }[];
    throughput?: { batch: number; rowsPerSecond: number }[];
    accuracy?: { relErr: number; pass: boolean };
  };
}
type BuildState = JobState & { plan?: PlanSummary };

export interface BuildOptions {
  precision?: string;
  profile?: string;
  backend?: string;
  name?: string;
  wait?: boolean;
}

export async function build(client: FarmClient, file: string, options: BuildOptions): Promise<number> {
  const model = readModelFile(file);
  const body = {
    ...model.body,
    ...(options.precision ? { precision: options.precision } : {}),
    ...(options.profile ? { profile: parseProfile(options.profile, model.network) } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
    ...(options.name ? { name: options.name } : {}),
  };
  const accepted = await client.json<BuildState>('POST', '/v1/builds', body);
  if (!options.wait) {
    process.stderr.write(`build ${accepted.id}: ${accepted.status}\n`);
    process.stdout.write(`${accepted.id}\n`);
    return 0;
  }
  const done = accepted.status === 'completed' ? accepted : await waitFor<BuildState>(client, `/v1/builds/${accepted.id}`, `build ${accepted.id.slice(0, 12)}`);
  if (done.status === 'failed') throw new FarmError(`build ${done.id} failed: ${done.error?.message ?? 'no reason given'}`);
  const plan = done.plan!;
  process.stderr.write(`build ${done.id}: completed: plan ${plan.id} (${plan.backend} ${plan.precision}, ${plan.bytes} bytes, built in ${plan.buildMs.toFixed(1)} ms)\n`);
  process.stdout.write(`${plan.id}\n`);
  return 0;
}

export interface SweepOptions {
  precisions?: string;
  profiles?: string[];
  backends?: string;
  name?: string;
  batch?: number;
}

type SweepBuild = BuildState & { precision: string; backend: string; profile?: Profile };
type SweepState = JobState & { builds: SweepBuild[]; best?: { planId: string; why: string } };

export async function sweep(client: FarmClient, file: string, options: SweepOptions): Promise<number> {
  const model = readModelFile(file);
  const list = (text?: string) => text?.split(',').map((item) => item.trim()).filter(Boolean);
  const body = {
    ...model.body,
    precisions: list(options.precisions) ?? ['fp32'],
    ...(options.profiles ? { profiles: options.profiles.map((profile) => parseProfile(profile, model.network)) } : {}),
    ...(options.backends ? { backends: list(options.backends) } : {}),
    ...(options.name ? { name: options.name } : {}),
    ...(options.batch ? { batch: options.batch } : {}),
  };
  const accepted = await client.json<SweepState>('POST', '/v1/sweeps', body);
  process.stderr.write(`sweep ${accepted.id}: ${accepted.builds.length} builds\n`);
  const done = await waitFor<SweepState>(client, `/v1/sweeps/${accepted.id}`, `sweep ${accepted.id.slice(0, 12)}`);
  process.stdout.write(`${comparison(done, options.batch)}\n`);
  if (done.best) process.stdout.write(`best: ${done.best.planId} (${done.best.why})\n`);
  const failed = done.builds.filter((b) => b.status === 'failed').length;
  if (failed > 0) process.stderr.write(`${failed} of ${done.builds.length} builds failed\n`);
  return failed > 0 ? 1 : 0;
}

// One row a variant, compared at one batch: the sweep's (default: the smallest opt batch).
function comparison(state: SweepState, batch?: number): string {
  const optBatches = state.builds.map((b) => b.plan?.batch?.opt).filter((n): n is number => n !== undefined);
  const at = batch ?? (optBatches.length > 0 ? Math.min(...optBatches) : undefined);
  const rows = state.builds.map((b) => {
    const report = b.plan?.report;
    const p50 = report?.latency?.find((entry) => entry.batch === at)?.p50Ms;
    const rate = report?.throughput?.find((entry) => entry.batch === at)?.rowsPerSecond;
    const profile = Object.entries(b.profile ?? {}).map(([name, r]) => `${name}=${r.min[0]}:${r.opt[0]}:${r.max[0]}`).join(',');
    return [
      b.plan && b.plan.id === state.best?.planId ? '*' : '',
      b.id.slice(0, 12),
      b.precision,
      b.backend,
      profile || '-',
      b.status === 'failed' ? `failed: ${b.error?.message ?? ''}` : b.status,
      p50 === undefined ? '-' : p50.toFixed(3),
      rate === undefined ? '-' : Math.round(rate).toString(),
      report?.accuracy ? `${report.accuracy.relErr.toExponential(1)} ${report.accuracy.pass ? 'pass' : 'FAIL'}` : '-',
      b.plan ? b.plan.buildMs.toFixed(0) : '-',
    ];
  });
  return table(['', 'build', 'precision', 'backend', 'profile', 'status', `p50 ms @${at ?? '?'}`, `rows/s @${at ?? '?'}`, 'accuracy', 'build ms'], rows);
}

export async function status(client: FarmClient, id: string): Promise<number> {
  let state: JobState;
  if (!/^[0-9a-f]{64}$/.test(id)) state = await client.json<JobState>('GET', `/v1/infer/${encodeURIComponent(id)}`);
  else {
    try {
      state = await client.json<JobState>('GET', `/v1/builds/${id}`);
    } catch (error) {
      if (!(error instanceof FarmError && error.status === 404)) throw error;
      state = await client.json<JobState>('GET', `/v1/sweeps/${id}`).catch((sweepError: unknown) => {
        throw sweepError instanceof FarmError && sweepError.status === 404 ? new FarmError(`no build or sweep ${id} (HTTP 404)`, 404) : sweepError;
      });
    }
  }
  process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
  return state.status === 'failed' ? 1 : 0;
}
