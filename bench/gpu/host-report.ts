// Writes the markdown of bench/gpu/host.sh from the engine's and PyTorch's lines of one run:
//   npx tsx bench/gpu/host-report.ts WORKDIR COMMAND > bench/gpu/results-host.md
// Without PyTorch's lines (a cpu smoke run) the PyTorch columns say "—".
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

const [work, command] = process.argv.slice(2);
const read = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const engineRows = read(`${work}/host-engine.jsonl`);
const torchRows = read(`${work}/host-torch.jsonl`);
const device = torchRows.find((r) => r.kind === 'device');
const torchAt = new Map(torchRows.filter((r) => r.kind === 'torch').map((r) => [`${r.precision}/${r.batch}`, r]));
const modes = [...new Set(engineRows.map((r) => r.mode as string))];
const precisions = [...new Set(engineRows.map((r) => r.precision as string))];
const hidden = engineRows[0]?.hidden;
const fixed = (x: number | undefined, digits: number) => (x === undefined ? '—' : x.toFixed(digits));
const row = (p: string, b: number, c: number, mode: string) =>
  engineRows.find((r) => r.precision === p && r.batch === b && r.concurrency === c && r.mode === mode);

const out = [
  '# bench/gpu: Engine.infer() host to host against PyTorch',
  '',
  `- date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  `- card: ${device ? `${device.name}; PyTorch ${device.torch} (CUDA ${device.cuda})` : 'none (no PyTorch lines: a cpu run)'}`,
  `- host: ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.cpus().length} threads; Node ${process.version}`,
  `- command: \`${command}\``,
  `- network: 4 × fullyConnected ${hidden}→${hidden} + bias + ReLU, one plan per precision (dynamic batch, opt 64);` +
    ' fp32 host arrays in and out whatever the precision inside',
  '- ours: `Engine.infer()` from Node, median wall time of one call at a time on the same input array, per way of' +
    ' copying (`TRTFARM_CUDA_HOST_IO`: staged is the default); PyTorch: a pageable host tensor copied in (as `.cuda()`),' +
    ' a CUDA-graph replay of the same network, `.cpu()`, median wall time, in the same run',
  `- settings: TRTFARM_CUDA_CONTEXTS=${process.env.TRTFARM_CUDA_CONTEXTS ?? '4 (default)'},` +
    ` UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'} (at most that many calls run at once)`,
  '- ratio: ours / PyTorch (below 1: faster than PyTorch)',
  '',
  `| precision | batch | ${modes.map((m) => `${m} µs`).join(' | ')} | PyTorch µs | ${modes.map((m) => `${m} / PyTorch`).join(' | ')} |`,
  `|---|---:|${modes.map(() => '---:|').join('')}---:|${modes.map(() => '---:|').join('')}`,
];
for (const p of precisions) {
  const batches = [...new Set(engineRows.filter((r) => r.precision === p && r.concurrency === 1).map((r) => r.batch as number))];
  for (const b of batches) {
    const torch = torchAt.get(`${p}/${b}`);
    const ours = modes.map((m) => row(p, b, 1, m)?.us as number | undefined);
    out.push(
      `| ${p} | ${b} | ${ours.map((us) => fixed(us, 1)).join(' | ')} | ${fixed(torch?.us, 1)} | ` +
        `${ours.map((us) => (us !== undefined && torch ? fixed(us / torch.us, 2) : '—')).join(' | ')} |`,
    );
  }
}
out.push(
  '',
  'Several calls in flight (each caller awaits its own calls back to back on its own input), rows/s; PyTorch: one' +
    ' call at a time (one Python thread), rows/s = batch / median time; ratio: time per row, ours / PyTorch.',
  '',
  `| precision | batch | calls in flight | ${modes.map((m) => `${m} rows/s`).join(' | ')} | PyTorch rows/s | ${modes.map((m) => `${m} / PyTorch`).join(' | ')} |`,
  `|---|---:|---:|${modes.map(() => '---:|').join('')}---:|${modes.map(() => '---:|').join('')}`,
);
for (const p of precisions) {
  const configs = [...new Set(engineRows.filter((r) => r.precision === p && r.concurrency > 1).map((r) => `${r.batch}/${r.concurrency}`))];
  for (const config of configs) {
    const [b, c] = config.split('/').map(Number);
    const torch = torchAt.get(`${p}/${b}`);
    const ours = modes.map((m) => row(p, b, c, m)?.rowsPerS as number | undefined);
    out.push(
      `| ${p} | ${b} | ${c} | ${ours.map((r) => fixed(r, 0)).join(' | ')} | ${fixed(torch?.rowsPerS, 0)} | ` +
        `${ours.map((r) => (r !== undefined && torch ? fixed(torch.rowsPerS / r, 2) : '—')).join(' | ')} |`,
    );
  }
}
console.log(out.join('\n'));
