// Limits on what one request may describe. They keep a single request from exhausting the API's or a
// worker's memory, while still admitting real models: a 4-layer MLP of 4096 × 4096 fp32 weights
// (4 × 64 MiB + biases) passes as base64, and the base64 text of the largest allowed weights stays
// below V8's maximum string length (2^29 − 24 characters), so the JSON body can still be parsed.
// A request over a limit is a ValidationError of kind 'over-limit' (answered 413). The limits hold for
// every way a network comes in (JSON, ONNX, whatever a route derives from them): the schema and the
// ONNX importer check the ones written here, the engine (validate, and build again) those on what
// a network becomes once built, given BUILD_LIMITS.
import type { EngineAddon, ValidatedNetwork } from '../engine/types.js';
import type { BuildOptions, NetworkSpec } from './spec.js';
import { ValidationError } from './validation-error.js';

// Layers in one network.
export const MAX_LAYERS = 256;
// Network inputs and outputs.
export const MAX_IO_TENSORS = 64;
// Dimensions of any shape (network inputs, constants, reshape targets, inference tensors).
export const MAX_DIMS = 8;
// Elements of one tensor: a shape's product, or the length of one weights/values array.
// 2^24 admits a 4096 × 4096 matrix.
export const MAX_TENSOR_ELEMENTS = 4096 * 4096;
// Bytes of all weights, biases and constant values of one network, as float32.
export const MAX_TOTAL_WEIGHT_BYTES = 320 * 1024 * 1024;
// Bytes of an ONNX model (before base64).
export const MAX_ONNX_BYTES = MAX_TOTAL_WEIGHT_BYTES;
// Characters of a name (network input, layer, tensor).
export const MAX_NAME_LENGTH = 256;
// What one build may cost, computed from shapes before it starts (engine.validate/build
// options.limits; over one: E_NETWORK naming it). A constant read by many matrix products is
// copied into each fused layer, and a chain of constant products is folded on the host (about
// 0.3 GFLOP/s for 1024² operands on one core): small requests could otherwise make huge plans
// or minutes of folding. planBytes: the weights a plan stores after folding and fusion;
// foldedBytes: the fp32 constants folding computes; foldFlops: its arithmetic (2 per multiply-add).
export const MAX_PLAN_WEIGHT_BYTES = MAX_TOTAL_WEIGHT_BYTES;
export const MAX_FOLDED_BYTES = MAX_TOTAL_WEIGHT_BYTES;
export const MAX_FOLD_FLOPS = 2 ** 30;
export const BUILD_LIMITS = { planBytes: MAX_PLAN_WEIGHT_BYTES, foldedBytes: MAX_FOLDED_BYTES, foldFlops: MAX_FOLD_FLOPS } as const;

// Variants (builds) of one sweep.
export const MAX_SWEEP_VARIANTS = 256;

// Characters of the base64 text of `bytes` bytes.
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

// Default of TRTFARM_BUILD_TIMEOUT_MS: a build still running after it is cancelled and fails.
export const DEFAULT_BUILD_TIMEOUT_MS = 300_000;

// The engine's refusal of a network over one of BUILD_LIMITS (E_NETWORK with `limit` naming it,
// and a message with both figures) as the over-limit ValidationError it is; undefined otherwise.
export function limitRefusal(error: unknown): ValidationError | undefined {
  const { code, limit, message } = (error ?? {}) as { code?: unknown; limit?: unknown; message?: unknown };
  return code === 'E_NETWORK' && typeof limit === 'string' && typeof message === 'string' ? new ValidationError(message, 'over-limit') : undefined;
}

// engine.validate with BUILD_LIMITS, for each of `options` (the network converted once): a network that
// would build past one is refused (over-limit) before anything is queued.
export function validateWithinLimits(engine: Pick<EngineAddon, 'validate'>, network: NetworkSpec, options: BuildOptions[]): ValidatedNetwork[] {
  try {
    return engine.validate(network, options.map((one) => ({ ...one, limits: BUILD_LIMITS })));
  } catch (error) {
    throw limitRefusal(error) ?? error;
  }
}
