// Runs one ONNX model through onnxruntime-node and through trtfarm (ONNX import → cpu build →
// engine), and compares the outputs.
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { engine as addon } from '../../shared/engine/addon.js';
import type { Tensor } from '../../shared/engine/types.js';
import type { ProfileRange } from '../../shared/network/spec.js';
import { onnxToNetwork } from '../../shared/onnx/import.js';

export type Tensors = Record<string, Tensor>;

export function randomTensor(shape: number[]): Tensor {
  const count = shape.reduce((p, d) => p * d, 1);
  return { shape, data: Float32Array.from({ length: count }, () => Math.random() * 2 - 1) };
}

export async function runOnnxRuntime(model: Uint8Array, inputs: Tensors): Promise<Tensors> {
  const session = await ort.InferenceSession.create(model);
  try {
    const feeds = Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.shape)]));
    const results = await session.run(feeds);
    return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { shape: [...t.dims], data: t.data as Float32Array }]));
  } finally {
    await session.release();
  }
}

// An engine for the model: built once, then run on several inputs.
export async function trtfarmEngine(model: Uint8Array, profile?: Record<string, ProfileRange>) {
  const { plan } = await addon.build(onnxToNetwork(model), { precision: 'fp32', backend: 'cpu', ...(profile ? { profile } : {}) });
  return addon.loadEngine(plan);
}

// fp32 tolerance, relative to the largest magnitude of the expected tensor (sums of products may
// cancel to values near 0 whose rounding error is that of their terms).
export function assertClose(actual: Tensors, expected: Tensors, rtol = 1e-5): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), 'output names');
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    assert.deepEqual(got.shape, want.shape, `shape of ${name}`);
    const scale = Math.max(1e-3, ...Array.from(want.data, Math.abs));
    want.data.forEach((value, i) => {
      const error = Math.abs(got.data[i] - value);
      assert.ok(error <= rtol * (Math.abs(value) + scale), `${name}[${i}]: trtfarm ${got.data[i]}, onnxruntime ${value} (error ${error})`);
    });
  }
}

// Builds the model with trtfarm and checks it against onnxruntime at each set of input shapes.
export async function checkAgainstOnnxRuntime(
  model: Uint8Array,
  inputShapes: Record<string, number[]>[],
  profile?: Record<string, ProfileRange>,
  // The model onnxruntime runs, when it needs another encoding of the same numbers.
  referenceModel = model,
): Promise<void> {
  const engine = await trtfarmEngine(model, profile);
  try {
    for (const shapes of inputShapes) {
      const inputs = Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, randomTensor(shape)]));
      assertClose(await engine.infer(inputs), await runOnnxRuntime(referenceModel, inputs));
    }
  } finally {
    engine.dispose();
  }
}
