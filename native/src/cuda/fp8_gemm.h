// An fp8 build's FC layer through cuBLASLt on Hopper: the fp16 activations quantized to e4m3
// with one per-tensor scale (their max magnitude, measured on the device in the same graph),
// the e4m3 weights times them (fp32 accumulation, fp16 out) with that scale as cuBLASLt's B scale, then one epilogue
// kernel that applies the weights' per-channel scales, the bias and the activation into fp16.
// (cuBLASLt's per-tensor A scale cannot carry per-channel scales: they follow in the epilogue.)
#pragma once

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "../core/program.h"
#include "lt_matmul.h"

namespace trtfarm::cuda {

// The product's shape, its B scale in `scratch` (fp8ScratchBytes of this shape).
LtShape fp8FullyConnected(int64_t rows, int64_t k, int64_t n, void* scratch);

// The device scratch one fp8 layer of this shape needs (scales, quantized x, fp32 product).
size_t fp8ScratchBytes(int64_t rows, int64_t k, int64_t n);

// Whether the fp8 path runs an FC of this shape: cuBLASLt's fp8 kernels want k and n in 16s.
bool fp8Shaped(int64_t k, int64_t n);

// y[rows, n] = act(x · Wᵀ · scale + bias) for `matmul` made from fp8FullyConnected with the same
// scratch: w is the
// plan's F8E4M3 weights (the matrix, then n fp32 scales), x, bias and y fp16.
void runFp8Gemm(cublasLtHandle_t handle, LtMatmul& matmul, const cublasLtMatmulAlgo_t& algo, const void* w,
                const void* bias, const void* x, void* y, Activation act, float alpha, void* scratch, void* workspace,
                size_t workspaceBytes, cudaStream_t stream);

}  // namespace trtfarm::cuda
