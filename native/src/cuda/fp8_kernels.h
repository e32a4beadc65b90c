// Launchers of the kernels around an fp8 cuBLASLt product (fp8_gemm.h); each enqueues on
// `stream` (graph-capturable) and throws Error{Runtime} when the launch fails.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "../core/program.h"

namespace trtfarm::cuda {

// q = e4m3(x / scale) for fp16 x (count a multiple of 8), scale = max|x| / 448 written to
// *scale on the device (amax: one word of scratch).
void launchQuantizeE4m3(const void* x, void* q, int64_t count, unsigned* amax, float* scale, cudaStream_t stream);

// y[r, c] = act(d[r, c] · channelScale[c] · factor + bias[c]) in fp16, d fp16 (bias fp16 or
// nullptr; n a multiple of 4). d may be y.
void launchFp8Epilogue(const void* d, const float* channelScale, float factor, const void* bias, void* y, int64_t rows,
                       int64_t n, Activation act, float alpha, cudaStream_t stream);

// out[n, k] = fp16(w[n, k] · scale[n]) for the plan's F8E4M3 weights (the matrix, then n
// scales): the fp16 cuBLASLt fallback where no fp8 cuBLASLt kernel runs the shape.
void launchDequantizeE4m3(const void* w, void* out, int64_t n, int64_t k, cudaStream_t stream);

}  // namespace trtfarm::cuda
