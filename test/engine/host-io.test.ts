// infer() reads the caller's input arrays where they are and answers with output arrays of its
// own: views at any offset read right, concurrent calls get what sequential ones get (bit for bit
// on cpu), every call gets fresh outputs, and dispose() never frees memory under a running call.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { Engine, Tensor } from '../../shared/engine/types.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { randomData, randomNetwork, seededRng } from '../helpers/random-network.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';

async function cpuEngine(network: NetworkSpec, profile?: Parameters<typeof engine.build>[1]['profile']): Promise<Engine> {
  const { plan } = await engine.build(network, { precision: 'fp32', backend: 'cpu', profile });
  return engine.loadEngine(plan);
}

function assertMatchesReference(network: NetworkSpec, inputs: Record<string, Tensor>, got: Record<string, Tensor>, what: string) {
  for (const [name, want] of Object.entries(referenceOutputs(network, inputs))) {
    assert.deepEqual(got[name].shape, want.shape, `${what}: shape of ${name}`);
    assert.ok(scaledError(got[name].data, want) <= 1e-5, `${what}: output ${name}`);
  }
}

// A view into the middle of a larger array, at an offset no vector load is aligned to.
function offsetView(data: Float32Array, offset: number): Float32Array {
  const backing = randomData(seededRng(99), data.length + offset + 5);
  backing.set(data, offset);
  return backing.subarray(offset, offset + data.length);
}

test('concurrent inferences on one engine equal sequential ones bit for bit and the float64 reference', async () => {
  const rn = randomNetwork(seededRng(41), { depth: 5, rank: 2, dynamic: true, blocks: ['fc', 'residual', 'matmul', 'fc'] });
  const e = await cpuEngine(rn.network, rn.profile);
  const rng = seededRng(42);
  const { min, max } = { min: rn.profile!.x.min[0], max: rn.profile!.x.max[0] };
  const runs = Array.from({ length: 24 }, (_, i) => {
    const batch = min + (i % (max - min + 1));
    const shape = [batch, ...rn.network.inputs[0].shape.slice(1)];
    return { x: { shape, data: randomData(rng, shape.reduce((a, b) => a * b, 1)) } };
  });
  const sequential: Record<string, Tensor>[] = [];
  for (const inputs of runs) sequential.push(await e.infer(inputs));
  const concurrent = await Promise.all(runs.map((inputs) => e.infer(inputs)));
  runs.forEach((inputs, i) => {
    assertMatchesReference(rn.network, inputs, concurrent[i], `run ${i}`);
    assert.deepEqual(concurrent[i], sequential[i], `run ${i}: concurrent equals sequential`);
  });
  e.dispose();
});

test('inputs that are views at a non-zero byteOffset are read where they are', async () => {
  const network: NetworkSpec = {
    inputs: [
      { name: 'a', shape: [-1, 37] },
      { name: 'b', shape: [-1, 37] },
    ],
    layers: [
      { name: 'fc', type: 'fullyConnected', inputs: ['a'], outputs: 37, weights: randomData(seededRng(1), 37 * 37, 0.2), bias: randomData(seededRng(2), 37) },
      { name: 's', type: 'elementWise', inputs: ['fc', 'b'], op: 'sum' },
    ],
  };
  const range = { min: [1, 37], opt: [4, 37], max: [9, 37] };
  const e = await cpuEngine(network, { a: range, b: range });
  const rng = seededRng(3);
  for (const batch of [1, 4, 9]) {
    const a = randomData(rng, batch * 37);
    const b = randomData(rng, batch * 37);
    const fresh = await e.infer({ a: { shape: [batch, 37], data: a }, b: { shape: [batch, 37], data: b } });
    const views = { a: { shape: [batch, 37], data: offsetView(a, 3) }, b: { shape: [batch, 37], data: offsetView(b, 1) } };
    assert.ok(views.a.data.byteOffset === 12 && views.b.data.byteOffset === 4);
    const got = await e.infer(views);
    assertMatchesReference(network, views, got, `batch ${batch}`);
    assert.deepEqual(got, fresh, `batch ${batch}: views read as their own arrays`);
  }
  e.dispose();
});

test('every call answers with fresh output arrays, apart from its inputs and from other calls', async () => {
  // Outputs of each kind the engine places: computed ones (one also read by a later layer), a
  // reshape of another output (the same storage).
  const network: NetworkSpec = {
    inputs: [{ name: 'x', shape: [-1, 6] }],
    layers: [
      { name: 'fc', type: 'fullyConnected', inputs: ['x'], outputs: 6, weights: randomData(seededRng(4), 36, 0.4) },
      { name: 'r', type: 'activation', kind: 'relu', inputs: ['fc'] },
      { name: 'flat', type: 'reshape', inputs: ['r'], shape: [-1, 3, 2] },
    ],
    outputs: ['r', 'flat', 'fc'],
  };
  const e = await cpuEngine(network, { x: { min: [1, 6], opt: [2, 6], max: [4, 6] } });
  const x = { shape: [3, 6], data: randomData(seededRng(5), 18) };
  const [first, second] = await Promise.all([e.infer({ x }), e.infer({ x })]);
  assertMatchesReference(network, { x }, first, 'first call');
  assert.deepEqual(first, second);
  const buffers = [x.data.buffer, ...[first, second].flatMap((out) => Object.values(out).map((t) => t.data.buffer))];
  assert.equal(new Set(buffers).size, buffers.length, 'no two arrays share memory');
  first.r.data.fill(7);
  assert.notDeepEqual([...second.r.data], [...first.r.data], 'changing one answer leaves the other alone');
  e.dispose();
});

test('dispose() during running inferences lets each finish correctly and rejects new ones', async () => {
  const rn = randomNetwork(seededRng(51), { depth: 4, rank: 2, dynamic: true, blocks: ['fc'] });
  const e = await cpuEngine(rn.network, rn.profile);
  const rng = seededRng(52);
  const batch = rn.profile!.x.max[0];
  const shape = [batch, ...rn.network.inputs[0].shape.slice(1)];
  const runs = Array.from({ length: 12 }, () => ({ x: { shape, data: randomData(rng, shape.reduce((a, b) => a * b, 1)) } }));
  const pending = runs.map((inputs) => e.infer(inputs));
  e.dispose();
  const results = await Promise.all(pending);
  results.forEach((got, i) => assertMatchesReference(rn.network, runs[i], got, `run ${i}`));
  await assert.rejects(
    e.infer(runs[0]),
    (err: unknown) => isEngineError(err, 'E_RUNTIME') && /the engine was disposed/.test(err.message),
  );
  e.dispose();
});
