// The cuda engine's host path on a GPU: with each way of copying (TRTFARM_CUDA_HOST_IO) and one or
// several execution contexts (TRTFARM_CUDA_CONTEXTS), concurrent calls on views at odd offsets
// give what sequential calls give and match the float64 reference (fp32, fp16, and fp8 with its
// scratch per context); dispose() during calls lets
// them finish; a bad setting fails the load with its name. Skipped without CUDA or a GPU.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { Engine, Tensor } from '../../shared/engine/types.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { randomData, seededRng } from '../helpers/random-network.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';

const cuda = engine.backends().find((b) => b.name === 'cuda');
const noGpu = !cuda?.compiled ? 'skipped: built without CUDA' : !cuda.available ? `skipped: ${cuda.reason}` : undefined;
// As test/cuda/cuda.test.ts: fp8 rounds weights and activations to 3 mantissa bits.
const TOLERANCE = { fp32: 1e-5, fp16: 1e-2, fp8: 3e-2 };
const WIDTH = 96;
// Big enough at the max batch for staged copies in several chunks (256 KiB each).
const MAX_BATCH = 2048;

// Two FC layers with an output after each: the first also read by the second.
function network(): NetworkSpec {
  const rng = seededRng(61);
  const fc = (name: string, input: string) => ({
    name,
    type: 'fullyConnected' as const,
    inputs: [input],
    outputs: WIDTH,
    weights: randomData(rng, WIDTH * WIDTH, 1 / Math.sqrt(WIDTH)),
    bias: randomData(rng, WIDTH, 0.1),
  });
  return {
    inputs: [{ name: 'x', shape: [-1, WIDTH] }],
    layers: [fc('h', 'x'), { name: 'r', type: 'activation', kind: 'relu', inputs: ['h'] }, fc('y', 'r')],
    outputs: ['h', 'y'],
  };
}

async function loadWith(env: Record<string, string>, plan: Buffer): Promise<Engine> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await engine.loadEngine(plan);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

// A view at a byteOffset of 4 into a larger array.
function view(data: Float32Array): Float32Array {
  const backing = new Float32Array(data.length + 2);
  backing.set(data, 1);
  return backing.subarray(1, 1 + data.length);
}

test('concurrent calls equal sequential ones and the reference, for every host copy mode and context count', { skip: noGpu }, async () => {
  const net = network();
  const rng = seededRng(62);
  const runs = [1, 3, 64, MAX_BATCH, 7, 1, 512, 64, 2, MAX_BATCH, 33, 1].map((batch) => ({
    x: { shape: [batch, WIDTH], data: view(randomData(rng, batch * WIDTH)) },
  }));
  for (const precision of ['fp32', 'fp16', 'fp8'] as const) {
    const profile = { x: { min: [1, WIDTH], opt: [64, WIDTH], max: [MAX_BATCH, WIDTH] } };
    const { plan } = await engine.build(net, { precision, backend: 'cuda', profile });
    for (const mode of ['staged', 'pageable', 'registered'])
      for (const contexts of ['1', '4']) {
        const e = await loadWith({ TRTFARM_CUDA_HOST_IO: mode, TRTFARM_CUDA_CONTEXTS: contexts }, plan);
        const sequential: Record<string, Tensor>[] = [];
        for (const inputs of runs) sequential.push(await e.infer(inputs));
        const concurrent = await Promise.all(runs.map((inputs) => e.infer(inputs)));
        e.dispose();
        runs.forEach((inputs, i) => {
          const what = `${precision} ${mode} ×${contexts} run ${i} (batch ${inputs.x.shape[0]})`;
          for (const [name, want] of Object.entries(referenceOutputs(net, inputs))) {
            assert.ok(scaledError(concurrent[i][name].data, want) <= TOLERANCE[precision], `${what}: ${name} vs reference`);
            const alone = { shape: sequential[i][name].shape, data: Float64Array.from(sequential[i][name].data) };
            assert.ok(scaledError(concurrent[i][name].data, alone) <= TOLERANCE[precision], `${what}: ${name} concurrent vs sequential`);
          }
        });
      }
  }
});

test('dispose() during calls on the GPU lets each finish and rejects new ones', { skip: noGpu }, async () => {
  const net = network();
  const profile = { x: { min: [1, WIDTH], opt: [64, WIDTH], max: [MAX_BATCH, WIDTH] } };
  const { plan } = await engine.build(net, { precision: 'fp32', backend: 'cuda', profile });
  const e = await engine.loadEngine(plan);
  const rng = seededRng(63);
  const runs = Array.from({ length: 16 }, () => ({ x: { shape: [MAX_BATCH, WIDTH], data: randomData(rng, MAX_BATCH * WIDTH) } }));
  const pending = runs.map((inputs) => e.infer(inputs));
  e.dispose();
  (await Promise.all(pending)).forEach((got, i) => {
    for (const [name, want] of Object.entries(referenceOutputs(net, runs[i])))
      assert.ok(scaledError(got[name].data, want) <= TOLERANCE.fp32, `run ${i} ${name}`);
  });
  await assert.rejects(e.infer(runs[0]), (err: unknown) => isEngineError(err, 'E_RUNTIME'));
});

test('a bad TRTFARM_CUDA_HOST_IO or TRTFARM_CUDA_CONTEXTS fails the load naming it', { skip: noGpu }, async () => {
  const profile = { x: { min: [1, WIDTH], opt: [1, WIDTH], max: [4, WIDTH] } };
  const { plan } = await engine.build(network(), { precision: 'fp32', backend: 'cuda', profile });
  for (const [env, name] of [
    [{ TRTFARM_CUDA_HOST_IO: 'zero-copy' }, /TRTFARM_CUDA_HOST_IO must be staged, pageable or registered/],
    [{ TRTFARM_CUDA_CONTEXTS: '0' }, /TRTFARM_CUDA_CONTEXTS must be an integer from 1 to 64/],
  ] as const)
    await assert.rejects(loadWith(env, plan), (err: unknown) => isEngineError(err, 'E_BACKEND') && name.test(err.message));
});
