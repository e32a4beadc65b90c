// validate() and build() refuse bad networks and options with E_NETWORK and a message naming the
// layer or field and the problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { engine, isEngineError } from '../../shared/engine/addon.js';
import type { BuildOptions, NetworkSpec } from '../../shared/network/spec.js';
import { seedFullyConnected, seedMatrixMultiply, seedWeights } from '../helpers/seed.js';

const fp32: BuildOptions = { precision: 'fp32', backend: 'cpu' };

function rejects(network: unknown, options: unknown, message: RegExp) {
  assert.throws(
    () => engine.validate(network as NetworkSpec, options as BuildOptions),
    (err: unknown) => isEngineError(err, 'E_NETWORK') && message.test(err.message),
    String(message),
  );
}

test('validate gives the inputs and outputs with their shapes', () => {
  assert.deepEqual(engine.validate(seedFullyConnected(), fp32), {
    inputs: [{ name: 'x', shape: [1, 3, 4, 5], dtype: 'float32' }],
    outputs: [{ name: 'fc', shape: [1, 2, 1, 1], dtype: 'float32' }],
  });
  const profile = { x: { min: [1, 3, 4, 5], opt: [1, 3, 4, 5], max: [8, 3, 4, 5] } };
  assert.deepEqual(engine.validate(seedMatrixMultiply(-1), { ...fp32, profile }).outputs, [
    { name: 'y', shape: [-1, 2], dtype: 'float32' },
  ]);
});

test('graph errors name the layer: unknown, later and own inputs, duplicate names', () => {
  const net = seedMatrixMultiply();
  rejects({ ...net, layers: net.layers.map((l) => (l.name === 'xw' ? { ...l, inputs: ['flat', 'Q'] } : l)) }, fp32, /layer 2 'xw' \(matrixMultiply\): unknown input 'Q'/);
  rejects({ ...net, layers: net.layers.map((l) => (l.name === 'xw' ? { ...l, inputs: ['flat', 'y'] } : l)) }, fp32, /input 'y' is layer 4, which comes later/);
  rejects({ ...net, layers: net.layers.map((l) => (l.name === 'xw' ? { ...l, inputs: ['xw', 'W'] } : l)) }, fp32, /takes its own output 'xw'/);
  rejects({ ...net, layers: net.layers.map((l) => (l.name === 'b' ? { ...l, name: 'W' } : l)) }, fp32, /layer 3 'W' \(constant\): the name 'W' is already used/);
  rejects({ ...net, outputs: ['nothing'] }, fp32, /output 'nothing' is not a layer/);
});

test('count, value and shape errors say expected vs got', () => {
  const fc = seedFullyConnected();
  const layer = fc.layers[0];
  rejects({ ...fc, layers: [{ ...layer, weights: new Float32Array(100) }] }, fp32, /layer 0 'fc' \(fullyConnected\): weights has 100 values, expected 120 \(2 outputs × K 60\)/);
  rejects({ ...fc, layers: [{ ...layer, bias: new Float32Array(3) }] }, fp32, /bias has 3 values, expected 2/);
  rejects({ ...fc, layers: [{ ...layer, weights: new Float32Array(120).fill(Infinity) }] }, fp32, /weights\[0\] is not a finite number/);
  rejects({ ...fc, inputs: [{ name: 'x', shape: [1, 3, -1, 5] }] }, fp32, /only the batch dimension \(0\) may be dynamic/);
  const mm = seedMatrixMultiply();
  rejects({ ...mm, layers: mm.layers.map((l) => (l.name === 'xw' ? { ...l, transpose: [false, false] } : l)) }, fp32, /inner dimensions differ/);
  rejects({ ...mm, layers: mm.layers.map((l) => (l.name === 'flat' ? { ...l, shape: [0, 7] } : l)) }, fp32, /holds 7 elements but the input \(1, 3, 4, 5\) holds 60/);
});

test('profile errors: missing, other dims differing, min ≤ opt ≤ max, unknown input', () => {
  const net = seedMatrixMultiply(-1);
  const range = (min: number, opt: number, max: number) => ({ min: [min, 3, 4, 5], opt: [opt, 3, 4, 5], max: [max, 3, 4, 5] });
  rejects(net, fp32, /input 'x' has a dynamic batch \(-1\) and needs a profile/);
  rejects(net, { ...fp32, profile: { x: range(4, 2, 8) } }, /needs min ≤ opt ≤ max/);
  rejects(net, { ...fp32, profile: { x: { ...range(1, 2, 4), max: [4, 3, 4, 6] } } }, /only the batch dimension may vary/);
  rejects(net, { ...fp32, profile: { x: range(1, 2, 4), z: range(1, 2, 4) } }, /the profile names 'z', which is not a network input/);
});

test('wrongly typed fields are refused by name', () => {
  const fc = seedFullyConnected();
  rejects({ ...fc, layers: [{ ...fc.layers[0], weights: Array.from(seedWeights()) }] }, fp32, /layer 0 'fc': weights must be a Float32Array/);
  rejects({ ...fc, layers: [{ ...fc.layers[0], type: 'convolution' }] }, fp32, /type 'convolution' is not one of: activation, constant, elementWise, fullyConnected, matrixMultiply, reshape/);
  rejects(fc, { ...fp32, precision: 'fp64' }, /precision 'fp64' is not one of: fp32, tf32, fp16, bf16/);
  rejects({ inputs: 'x', layers: [] }, fp32, /network.inputs must be an array/);
  rejects(null, fp32, /network must be an object/);
});

test('build rejects with the same errors, and with E_BACKEND for a backend this machine lacks', async () => {
  await assert.rejects(
    engine.build({ ...seedFullyConnected(), outputs: ['x'] }, fp32),
    (err: unknown) => isEngineError(err, 'E_NETWORK') && /output 'x' is a network input/.test(err.message),
  );
  await assert.rejects(
    engine.build(seedFullyConnected(), { ...fp32, backend: 'warp' as 'cpu' }),
    (err: unknown) => isEngineError(err, 'E_BACKEND') && /unknown backend 'warp'/.test(err.message),
  );
  for (const status of engine.backends().filter((b) => !b.available)) {
    await assert.rejects(
      engine.build(seedFullyConnected(), { ...fp32, backend: status.name }),
      (err: unknown) => isEngineError(err, 'E_BACKEND') && err.message.includes(status.reason!),
    );
  }
});

test('data outside the fp16 / bf16 range is refused before building, naming the layer and the element', () => {
  const seed = seedFullyConnected();
  const big = (at: number, value: number) => {
    const weights = seedWeights();
    weights[at] = value;
    return { ...seed, layers: [{ ...seed.layers[0], weights }] } as NetworkSpec;
  };
  rejects(big(7, 70000), { precision: 'fp16', backend: 'cpu' }, /layer 0 'fc' \(fullyConnected\): weights\[7\] = 70000\.0+ is outside the fp16 range/);
  rejects(big(3, 3.4e38), { precision: 'bf16', backend: 'cpu' }, /weights\[3\] = .* is outside the bf16 range/);
  // Representable in each: accepted.
  engine.validate(big(7, 65504), { precision: 'fp16', backend: 'cpu' });
  engine.validate(big(7, 70000), { precision: 'bf16', backend: 'cpu' });
  engine.validate(big(3, 3.4e38), fp32);
});

test('fp8 is refused for the cpu and tensorrt backends with a message naming cuda', () => {
  for (const backend of ['cpu', 'tensorrt'] as const)
    assert.throws(
      () => engine.validate(seedFullyConnected(), { precision: 'fp8', backend }),
      (err: unknown) => isEngineError(err, 'E_NETWORK') && /fp8 is a cuda precision/.test(err.message) && err.message.includes(backend),
    );
  assert.equal(engine.validate(seedFullyConnected(), { precision: 'fp8', backend: 'cuda' }).outputs.length, 1);
});

test('validate of several options gives one result per options, in order, and throws for the first that fails', () => {
  const net = seedMatrixMultiply(-1);
  const profile = (max: number) => ({ x: { min: [1, 3, 4, 5], opt: [1, 3, 4, 5], max: [max, 3, 4, 5] } });
  const results = engine.validate(net, [{ ...fp32, profile: profile(8) }, { precision: 'fp16', backend: 'cpu', profile: profile(64) }]);
  assert.equal(results.length, 2);
  for (const result of results) assert.deepEqual(result.outputs, [{ name: 'y', shape: [-1, 2], dtype: 'float32' }]);
  const seed = seedFullyConnected();
  const weights = seedWeights();
  weights[7] = 70000;
  const wide = { ...seed, layers: [{ ...seed.layers[0], weights }] } as NetworkSpec;
  assert.equal(engine.validate(wide, [fp32, { precision: 'bf16', backend: 'cpu' }]).length, 2);
  assert.throws(
    () => engine.validate(wide, [fp32, { precision: 'fp16', backend: 'cpu' }]),
    (err: unknown) => isEngineError(err, 'E_NETWORK') && /weights\[7\] = 70000\.0+ is outside the fp16 range/.test(err.message),
  );
});
