// Limits on what one request may describe. They keep a single request from exhausting the API's or a
// worker's memory, while still admitting real models: a 4-layer MLP of 4096 × 4096 fp32 weights
// (4 × 64 MiB + biases) passes as base64, and the base64 text of the largest allowed weights stays
// below V8's maximum string length (2^29 − 24 characters), so the JSON body can still be parsed.
// A request over a limit is a ValidationError of kind 'over-limit' (the API answers 413).

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
