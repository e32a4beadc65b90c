// Host-side launchers of the backend's own kernels. Every launcher enqueues on `stream` (so it
// can be captured into a CUDA graph) and throws Error{Runtime} when the launch fails.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "../core/program.h"

namespace trtfarm::cuda {

// Element-wise dtype conversion (network inputs to the build precision and outputs back to fp32).
void launchConvert(DType from, DType to, const void* src, void* dst, int64_t count, cudaStream_t stream);

// dst[i] = act(src[i]); src may equal dst (the activation cuBLASLt cannot fuse, applied in place).
void launchActivation(DType type, const void* src, void* dst, int64_t count, Activation act, float alpha,
                      cudaStream_t stream);

// Numpy broadcasting, resolved on the host: strides are 0 along an operand's size-1 dimensions.
constexpr int kMaxRank = 8;
struct Broadcast {
  int rank = 0;
  int64_t dims[kMaxRank] = {}, aStrides[kMaxRank] = {}, bStrides[kMaxRank] = {};
  int64_t count = 0;
};
void launchBinary(DType type, BinaryOp op, const void* a, const void* b, void* out, const Broadcast& shape,
                  cudaStream_t stream);

// Deterministic pseudo-random values in [-1, 1): autotuning inputs (zeros would time too fast).
void launchFillRandom(DType type, void* dst, int64_t count, uint32_t seed, cudaStream_t stream);

// Reads `bytes` (a multiple of 16) of `data`: evicts the L2 with clean lines, so that the next
// kernel timed finds its weights in memory as it will in the network, without write-backs.
void launchTouch(const void* data, int64_t bytes, void* sink, cudaStream_t stream);

// y[rows, n] = act(x[rows, k] · W[n, k]ᵀ + bias[n]) for few rows, streaming W with 16-byte loads
// (the weight read is the whole cost at small batch). Variant v: 2^(v & 3) output features per
// warp (1, 2 or 4, and 8 with shared x up to 8 rows: W-load parallelism against reuse of each x
// load); with v & 4, x staged in shared memory as fp32 (rows·k·4 bytes must fit in a block);
// with v & 8, twice the W loads in flight. F8E4M3 weights take fp16 x and y (or fp32 at the edge).
constexpr int kGemvVariants = 16;
constexpr int64_t kGemvMaxRows = 16;
bool gemvSupports(DType type, int variant, int64_t rows, int64_t k);
int gemvFeaturesPerWarp(int variant);
bool gemvStagesX(int variant);
bool gemvDeep(int variant);
// x in xType and y in yType: `type` (the weights'; F16 beside F8E4M3), or F32 for a layer that reads the network's
// input or writes its output directly (x as F32 needs a shared-x variant).
void launchGemv(DType type, DType xType, DType yType, int variant, const void* w, const void* bias, const void* x,
                void* y, int64_t rows, int64_t k, int64_t n, Activation act, float alpha, cudaStream_t stream);

}  // namespace trtfarm::cuda
