// plans, plan get, infer, workers: what the farm holds and runs.
import { writeFileSync } from 'node:fs';

import { FarmError } from './farm-error.js';
import type { FarmClient } from './farm-client.js';
import { table } from './table.js';
import { readTensorFile, type Tensor } from './tensor-file.js';
import { UsageError } from './usage-error.js';
import { waitFor, type JobState } from './wait-for.js';

interface PlanMeta {
  id: string;
  name?: string;
  names?: string[];
  backend: string;
  precision: string;
  batch: { min: number; opt: number; max: number };
  bytes: number;
  createdAt: string;
}

// The farm's longest wait (TRTFARM_MAX_WAIT_MS's default); a longer inference is polled.
const INFER_WAIT_MS = 60_000;

async function listPlans(client: FarmClient, name?: string, limit?: number): Promise<PlanMeta[]> {
  const query = new URLSearchParams({ ...(name ? { name } : {}), ...(limit ? { limit: String(limit) } : {}) });
  const answer = await client.json<PlanMeta[] | { plans?: PlanMeta[]; items?: PlanMeta[] }>('GET', `/v1/plans?${query}`);
  return Array.isArray(answer) ? answer : (answer.plans ?? answer.items ?? []);
}

export async function plans(client: FarmClient, options: { name?: string; limit?: number }): Promise<number> {
  const list = await listPlans(client, options.name, options.limit);
  const rows = list.map((p) => [p.id, (p.names ?? (p.name ? [p.name] : [])).join(',') || '-', p.backend, p.precision, `${p.batch.min}:${p.batch.opt}:${p.batch.max}`, String(p.bytes), p.createdAt]);
  process.stdout.write(`${table(['plan', 'name', 'backend', 'precision', 'batch', 'bytes', 'created'], rows)}\n`);
  return 0;
}

export async function planGet(client: FarmClient, id: string, output: string): Promise<number> {
  const bytes = await client.bytes(`/v1/plans/${encodeURIComponent(id)}`);
  writeFileSync(output, bytes);
  process.stderr.write(`wrote ${bytes.length} bytes to ${output}\n`);
  return 0;
}

type InferState = JobState & { outputs?: Record<string, Tensor> };

export async function infer(client: FarmClient, planOrName: string, inputs: string[]): Promise<number> {
  if (inputs.length === 0) throw new UsageError('give at least one --input NAME=FILE');
  const tensors: Record<string, Tensor> = {};
  for (const input of inputs) {
    const at = input.indexOf('=');
    if (at <= 0) throw new UsageError(`--input ${input}: expected NAME=FILE`);
    tensors[input.slice(0, at)] = readTensorFile(input.slice(at + 1));
  }
  const plan = /^[0-9a-f]{64}$/.test(planOrName) ? planOrName : await planNamed(client, planOrName);
  let state = await client.json<InferState>('POST', `/v1/infer?wait=${INFER_WAIT_MS}`, { plan, inputs: tensors });
  if (state.status !== 'completed' && state.status !== 'failed') state = await waitFor<InferState>(client, `/v1/infer/${state.id}`, `infer ${state.id}`);
  if (state.status === 'failed') throw new FarmError(`inference ${state.id} failed: ${state.error?.message ?? 'no reason given'}`);
  process.stdout.write(`${JSON.stringify(state.outputs)}\n`);
  return 0;
}

async function planNamed(client: FarmClient, name: string): Promise<string> {
  const [newest] = await listPlans(client, name, 1);
  if (!newest) throw new FarmError(`no plan named "${name}"`);
  return newest.id;
}

interface Worker {
  id: string;
  backend: string;
  device: { name: string; computeCapability?: string; memoryBytes?: number };
  serves: { compatKey: string }[];
  host: string;
  lastSeen: string;
}

export async function workers(client: FarmClient): Promise<number> {
  const list = await client.json<Worker[]>('GET', '/v1/workers');
  const rows = list.map((w) => [w.id, w.backend, w.device.name, w.serves.map((s) => s.compatKey).join(' '), w.host, w.lastSeen]);
  process.stdout.write(`${table(['worker', 'backend', 'device', 'serves', 'host', 'last seen'], rows)}\n`);
  return 0;
}
