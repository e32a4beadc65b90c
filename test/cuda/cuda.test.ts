// The cuda backend through the addon, on a GPU: the seed golden at every precision, random
// networks of every block kind against the float64 reference and against PyTorch on the same
// weights and inputs, the plan round trip and tactic reuse. Without CUDA in the addon or without
// a visible GPU each test is reported as skipped with the reason (CI has neither).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { engine } from '../../shared/engine/addon.js';
import type { NetworkSpec, Precision } from '../../shared/network/spec.js';
import { BLOCKS, randomData, randomNetwork, seededRng, type RandomNetwork } from '../helpers/random-network.js';
import { referenceOutputs, scaledError, type Tensor64 } from '../../shared/network/reference.js';
import { SEED_EXPECTED, seedFullyConnected, seedInput, seedMatrixMultiply } from '../helpers/seed.js';

const PRECISIONS: Precision[] = ['fp32', 'tf32', 'fp16', 'bf16'];
// TF32 rounds both operands of every product to 10-bit mantissas (2^-11 relative each): the seeded
// chains of three self-products compound that to about 1.2e-3.
// fp8 against float64 on its own e4m3 weights: the activations' e4m3 rounding where cuBLASLt runs.
const TOLERANCE: Record<Precision, number> = { fp32: 1e-5, tf32: 2e-3, fp16: 1e-2, bf16: 1e-2, fp8: 3e-2 };

const cuda = engine.backends().find((b) => b.name === 'cuda');
const noGpu = !cuda?.compiled
  ? 'skipped: built without CUDA'
  : !cuda.available
    ? `skipped: cuda backend unavailable: ${cuda.reason}`
    : undefined;

const torchScript = fileURLToPath(new URL('./torch_network.py', import.meta.url));
function torchMissing(): string | undefined {
  if (noGpu) return noGpu;
  const probe = spawnSync('python3', ['-c', 'import torch; assert torch.cuda.is_available()'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'skipped: python3 with a CUDA PyTorch not found';
}

interface Case {
  precision: Precision;
  rn: RandomNetwork;
  runs: { batch: number; inputs: Record<string, { shape: number[]; data: Float32Array }>; outputs: Record<string, Float32Array> }[];
}

// Builds each network on the cuda backend and runs it at the network's batches on fresh inputs.
async function runOnGpu(precision: Precision, rn: RandomNetwork, seed: number): Promise<Case> {
  const { plan } = await engine.build(rn.network, { precision, backend: 'cuda', profile: rn.profile });
  const e = await engine.loadEngine(plan);
  const dataRng = seededRng(seed * 31 + 7);
  const runs: Case['runs'] = [];
  try {
    for (const batch of rn.batches) {
      const inputs = Object.fromEntries(
        rn.network.inputs.map((input) => {
          const shape = [batch, ...input.shape.slice(1)];
          return [input.name, { shape, data: randomData(dataRng, shape.reduce((a, b) => a * b, 1)) }];
        }),
      );
      const got = await e.infer(inputs);
      runs.push({ batch, inputs, outputs: Object.fromEntries(Object.entries(got).map(([k, t]) => [k, t.data])) });
    }
  } finally {
    e.dispose();
  }
  return { precision, rn, runs };
}

function randomCases(): { seed: number; rn: RandomNetwork }[] {
  const cases: { seed: number; rn: RandomNetwork }[] = [];
  let seed = 4000;
  for (const block of BLOCKS)
    for (const rank of [2, 4] as const) {
      seed++;
      cases.push({ seed, rn: randomNetwork(seededRng(seed), { depth: 1 + (seed % 4), rank, dynamic: seed % 2 === 0, blocks: [block] }) });
    }
  return cases;
}

test('the seed golden, both forms, every precision, on the GPU', { skip: noGpu }, async () => {
  // fp8 keeps the seed's narrow layers (k, n not multiples of 16) in fp16: exact like fp16.
  for (const precision of [...PRECISIONS, 'fp8' as const])
    for (const network of [seedFullyConnected(), seedMatrixMultiply()]) {
      const { plan, info } = await engine.build(network, { precision, backend: 'cuda' });
      assert.equal(info.backend, 'cuda');
      assert.match(info.compatKey, /^cuda:sm_\d+:cuda\d+\.\d+:cublasLt\d+$/);
      const e = await engine.loadEngine(plan);
      const y = (await e.infer({ x: { shape: [1, 3, 4, 5], data: seedInput() } }))[network.outputs?.[0] ?? network.layers.at(-1)!.name];
      e.dispose();
      // bf16 keeps 8 significant bits: 1770 is stored as 1768.
      const want = precision === 'bf16' ? [1768, -1768] : SEED_EXPECTED;
      assert.deepEqual(Array.from(y.data), want, precision);
    }
});

test('random networks of every block kind, every precision, match the float64 reference on the GPU', { skip: noGpu }, async () => {
  for (const precision of PRECISIONS)
    for (const { seed, rn } of randomCases()) {
      const result = await runOnGpu(precision, rn, seed);
      for (const run of result.runs) {
        const want = referenceOutputs(rn.network, run.inputs);
        for (const [name, tensor] of Object.entries(want)) {
          const error = scaledError(run.outputs[name], tensor);
          assert.ok(error <= TOLERANCE[precision], `seed ${seed} ${precision} batch ${run.batch} ${rn.blocks} ${name}: ${error}`);
        }
      }
    }
});

test('random networks and a wide MLP match PyTorch on the same weights, every precision', { skip: torchMissing() }, async () => {
  const wide: NetworkSpec = {
    inputs: [{ name: 'x', shape: [-1, 512] }],
    layers: [
      { name: 'l1', type: 'fullyConnected', outputs: 1024, weights: randomData(seededRng(1), 512 * 1024, 1 / 23), bias: randomData(seededRng(2), 1024, 0.1) },
      { name: 'r1', type: 'activation', kind: 'relu' },
      { name: 'l2', type: 'fullyConnected', outputs: 256, weights: randomData(seededRng(3), 1024 * 256, 1 / 32), bias: randomData(seededRng(4), 256, 0.1) },
      { name: 'g2', type: 'activation', kind: 'gelu' },
    ],
  };
  const wideCase: RandomNetwork = {
    network: wide,
    profile: { x: { min: [1, 512], opt: [8, 512], max: [128, 512] } },
    batches: [1, 3, 8, 128],
    blocks: ['fc'],
  };
  const cases: Case[] = [];
  for (const precision of PRECISIONS) {
    for (const { seed, rn } of randomCases().filter((_, i) => i % 3 === 0)) cases.push(await runOnGpu(precision, rn, seed));
    cases.push(await runOnGpu(precision, wideCase, 99));
  }
  const dir = mkdtempSync(join(tmpdir(), 'trtfarm-torch-'));
  try {
    const jobs = cases.map((c) => ({
      precision: c.precision,
      network: JSON.parse(JSON.stringify(c.rn.network, (_, v) => (v instanceof Float32Array ? Array.from(v) : v))),
      runs: c.runs.map((r) => ({
        inputs: Object.fromEntries(Object.entries(r.inputs).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }])),
      })),
    }));
    writeFileSync(join(dir, 'in.json'), JSON.stringify(jobs));
    const ran = spawnSync('python3', [torchScript, join(dir, 'in.json'), join(dir, 'out.json')], { encoding: 'utf8' });
    assert.equal(ran.status, 0, ran.stderr);
    const answered = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as {
      runs: { outputs: Record<string, { shape: number[]; data: number[] }> }[];
    }[];
    cases.forEach((c, i) =>
      c.runs.forEach((run, j) => {
        for (const [name, theirs] of Object.entries(answered[i].runs[j].outputs)) {
          const asReference: Tensor64 = { shape: theirs.shape, data: Float64Array.from(theirs.data) };
          const error = scaledError(run.outputs[name], asReference);
          assert.ok(error <= TOLERANCE[c.precision], `${c.precision} ${c.rn.blocks} batch ${run.batch} ${name} vs PyTorch: ${error}`);
        }
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// e4m3 rounding (no infinities, 448 the largest), each row scaled so its largest magnitude is 448.
function e4m3Rows(weights: Float32Array, k: number): Float32Array {
  const out = new Float32Array(weights.length);
  for (let row = 0; row * k < weights.length; row++) {
    const slice = weights.subarray(row * k, (row + 1) * k);
    const scale = Math.max(...slice.map(Math.abs)) / 448 || 1;
    slice.forEach((w, c) => {
      const a = Math.abs(w / scale);
      const step = a < 2 ** -6 ? 2 ** -9 : 2 ** (Math.floor(Math.log2(a)) - 3);
      out[row * k + c] = Math.sign(w) * Math.min(448, Math.round(a / step) * step) * scale;
    });
  }
  return out;
}

test('fp8: a wide MLP matches float64 on its e4m3 weights at GEMV and cuBLASLt batches', { skip: noGpu }, async () => {
  const layers = [
    { name: 'l1', type: 'fullyConnected', outputs: 768, weights: randomData(seededRng(11), 512 * 768, 1 / 23), bias: randomData(seededRng(12), 768, 0.1) },
    { name: 'r1', type: 'activation', kind: 'relu' },
    { name: 'l2', type: 'fullyConnected', outputs: 256, weights: randomData(seededRng(13), 768 * 256, 1 / 28), bias: randomData(seededRng(14), 256, 0.1) },
  ] as const;
  const network: NetworkSpec = { inputs: [{ name: 'x', shape: [-1, 512] }], layers: layers.map((l) => ({ ...l })) };
  const stored: NetworkSpec = {
    ...network,
    layers: [
      { ...layers[0], weights: e4m3Rows(layers[0].weights, 512) },
      { ...layers[1] },
      { ...layers[2], weights: e4m3Rows(layers[2].weights, 768) },
    ],
  };
  const rn: RandomNetwork = { network, profile: { x: { min: [1, 512], opt: [8, 512], max: [256, 512] } }, batches: [1, 4, 16, 256], blocks: ['fc'] };
  const result = await runOnGpu('fp8', rn, 12);
  for (const run of result.runs) {
    const error = scaledError(run.outputs.l2, referenceOutputs(stored, run.inputs).l2);
    assert.ok(error <= TOLERANCE.fp8, `fp8 batch ${run.batch}: ${error}`);
  }
});

// Tactic reuse (identical bytes when rebuilt with an earlier plan's tactics) is checked in
// native/test/cuda_backend_test.cpp: the addon does not hand a plan's tactics bytes to JS.
test('a cuda plan round-trips through its bytes: inspected as built, rebuilt from its tactics byte for byte, two loads compute the same', { skip: noGpu }, async () => {
  const rn = randomNetwork(seededRng(5), { depth: 3, rank: 2, dynamic: true, blocks: ['fc'] });
  const built = await engine.build(rn.network, { precision: 'fp16', backend: 'cuda', profile: rn.profile });
  const info = engine.inspectPlan(built.plan);
  assert.deepEqual(info, built.info);
  const rebuilt = await engine.build(rn.network, { precision: 'fp16', backend: 'cuda', profile: rn.profile, reuseTacticsFrom: built.plan });
  assert.ok(rebuilt.plan.equals(built.plan), 'a rebuild reusing the tactics gives the same bytes');
  assert.ok(JSON.stringify(info.tactics).includes('"kernel"'), 'the tactics name the kernels chosen');
  const batch = rn.batches[rn.batches.length - 1];
  const shape = [batch, ...rn.network.inputs[0].shape.slice(1)];
  const x = { shape, data: randomData(seededRng(6), shape.reduce((a, b) => a * b, 1)) };
  const [a, b] = [await engine.loadEngine(built.plan), await engine.loadEngine(Buffer.from(built.plan))];
  try {
    assert.deepEqual(await a.infer({ x }), await b.infer({ x }));
  } finally {
    a.dispose();
    b.dispose();
  }
});

// x[-1, 64] → 96 → 80 → 48 (bias + ReLU): three distinct products, each tuned at every bucket.
function threeLayerMlp(seed: number): NetworkSpec {
  const rng = seededRng(seed);
  const widths = [64, 96, 80, 48];
  const layers: NetworkSpec['layers'] = [];
  for (let l = 1; l < widths.length; l++) {
    const k = widths[l - 1];
    layers.push({ name: `fc${l}`, type: 'fullyConnected', outputs: widths[l], weights: randomData(rng, k * widths[l], 1 / Math.sqrt(k)), bias: randomData(rng, widths[l], 0.1) });
    layers.push({ name: `relu${l}`, type: 'activation', kind: 'relu' });
  }
  return { inputs: [{ name: 'x', shape: [-1, 64] }], layers };
}

test('the timing cache: a network of the same shapes built with the first one\'s winners times nothing, says so, and is correct', { skip: noGpu }, async () => {
  const profile = { x: { min: [1, 64], opt: [8, 64], max: [64, 64] } };
  const options = { precision: 'fp16' as const, backend: 'cuda' as const, profile };
  const cold = await engine.build(threeLayerMlp(1), options);
  const tactics = (info: typeof cold.info) => (info.tactics as { layers: { tactics: { cached?: boolean }[] }[] }).layers.flatMap((l) => l.tactics);
  const gemmBuckets = tactics(cold.info).length;
  assert.equal(gemmBuckets, 3 * 6, 'three products × buckets 1, 2, 4, 8, 16, 64');
  assert.equal(cold.timingCache?.hits, 0);
  assert.equal(cold.timingCache?.entries.length, gemmBuckets);
  assert.ok(tactics(cold.info).every((t) => t.cached === undefined));

  const network = threeLayerMlp(2); // other weights, same shapes
  const warm = await engine.build(network, { ...options, timingCache: cold.timingCache!.entries });
  assert.equal(warm.timingCache?.hits, gemmBuckets);
  assert.ok(tactics(warm.info).every((t) => t.cached === true), 'the plan records the cached tactics');
  assert.deepEqual(new Set(warm.timingCache!.entries.map((e) => e.key)), new Set(cold.timingCache!.entries.map((e) => e.key)));
  const e = await engine.loadEngine(warm.plan);
  try {
    for (const batch of [1, 5, 64]) {
      const x = { shape: [batch, 64], data: randomData(seededRng(100 + batch), batch * 64) };
      const got = await e.infer({ x });
      assert.ok(scaledError(got.relu3.data, referenceOutputs(network, { x }).relu3) <= TOLERANCE.fp16, `batch ${batch}`);
    }
  } finally {
    e.dispose();
  }
});

test('a cuda build aborted while autotuning rejects with E_CANCELLED', { skip: noGpu }, async () => {
  const controller = new AbortController();
  const profile = { x: { min: [1, 64], opt: [64, 64], max: [4096, 64] } };
  const build = engine.build(threeLayerMlp(3), { precision: 'fp32', backend: 'cuda', profile }, (_f, stage) => {
    if (stage.startsWith('autotuning layer')) controller.abort();
  }, { signal: controller.signal });
  await assert.rejects(build, (err: unknown) => (err as { code?: string }).code === 'E_CANCELLED');
});
