// A sweep through a running farm (bench/gpu/farm.sh runs it): the 4×4096 MLP over fp32, tf32, fp16
// and bf16 × 3 batch profiles (12 plans, each with its measured report), POST /v1/sweeps → every
// variant finished, and the comparison table GET /v1/sweeps/:id gives. Appends it to
// bench/gpu/results-sweep.md. Target (issue 8): ≤ 20 s from POST to completed on one H200.
// Usage: tsx bench/gpu/sweep-client.ts http://127.0.0.1:18080
// Settings: BACKEND (cuda; cpu for a smoke test), WIDTH (4096), LAYERS (4), PRECISIONS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SweepStatus } from '../../api/schemas/sweeps.js';
import { mlpNetwork } from './mlp.js';

const base = process.argv[2];
const BACKEND = process.env.BACKEND ?? 'cuda';
const WIDTH = Number(process.env.WIDTH ?? 4096);
const LAYERS = Number(process.env.LAYERS ?? 4);
const PRECISIONS = (process.env.PRECISIONS ?? 'fp32,tf32,fp16,bf16').split(',');
const HERE = path.dirname(fileURLToPath(import.meta.url));

const profile = (opt: number, max: number) => ({ x: { min: [1, WIDTH], opt: [opt, WIDTH], max: [max, WIDTH] } });
const profiles = [profile(1, 16), profile(64, 256), profile(256, 4096)];
const body = JSON.stringify({ network: mlpNetwork(LAYERS, WIDTH), name: 'bench-sweep', precisions: PRECISIONS, profiles, backends: [BACKEND], batch: 1 });

const started = performance.now();
const accepted = await fetch(`${base}/v1/sweeps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const acceptedText = await accepted.text();
assert.ok(accepted.status === 202 || accepted.status === 200, `${accepted.status} ${acceptedText}`);
const { id } = JSON.parse(acceptedText) as { id: string };
const acceptedMs = performance.now() - started;
let sweep: SweepStatus;
for (;;) {
  sweep = (await (await fetch(`${base}/v1/sweeps/${id}`)).json()) as SweepStatus;
  if (sweep.status === 'completed') break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const totalMs = performance.now() - started;

const f = (n: number | undefined, digits = 2) => (n === undefined ? '—' : n.toFixed(digits));
const rows = sweep.builds.map((b) => {
  const range = b.profile ? `${b.profile.x.min[0]}/${b.profile.x.opt[0]}/${b.profile.x.max[0]}` : 'static';
  const report = b.plan?.report;
  const opt = report?.latency.find((l) => l.batch === b.profile?.x.opt[0]);
  const optRate = report?.throughput.find((t) => t.batch === b.profile?.x.opt[0]);
  const best = sweep.best?.buildId === b.id ? '**best**' : '';
  return `| ${b.precision} | ${range} | ${b.status}${b.error ? `: ${b.error.message}` : ''} | ${f(b.plan?.buildMs, 0)} | ${f(report?.ms, 0)} | ${f(opt?.p50Ms, 3)} | ${f(opt?.p99Ms, 3)} | ${f(optRate?.rowsPerSecond, 0)} | ${f(b.atBatch?.p50Ms, 3)} | ${report ? `${report.accuracy.relErr.toExponential(1)} ${report.accuracy.pass ? 'pass' : 'FAIL'}` : '—'} | ${best} |`;
});

let gpu = 'no GPU';
try {
  gpu = execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8' }).trim().split('\n')[0];
} catch {
  // a cpu smoke run
}
const table = [
  `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${gpu}; ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`,
  '',
  `Command: \`bash bench/gpu/farm.sh bench/gpu/sweep-client.ts\` (BACKEND=${BACKEND} WIDTH=${WIDTH} LAYERS=${LAYERS}). ` +
    `One sweep of ${LAYERS} × FC ${WIDTH}→${WIDTH} + ReLU over ${PRECISIONS.join(', ')} × batch profiles min/opt/max ` +
    `${profiles.map((p) => `${p.x.min[0]}/${p.x.opt[0]}/${p.x.max[0]}`).join(', ')} (network JSON with base64 weights, posted once). ` +
    `POST → accepted **${(acceptedMs / 1000).toFixed(1)} s**, POST → completed **${(totalMs / 1000).toFixed(1)} s** for ${sweep.builds.length} plans; ` +
    `best at batch ${sweep.batch}: ${sweep.best ? `${sweep.best.why}` : 'none'}.`,
  '',
  '| precision | profile | status | build ms | report ms | p50 ms at opt | p99 ms at opt | rows/s at opt | p50 ms at batch 1 | accuracy vs float64 | |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ...rows,
  '',
].join('\n');
console.log(table);
await appendFile(path.join(HERE, 'results-sweep.md'), `\n${table}`);
