// The kernels around an fp8 cuBLASLt product (fp8_gemm.h): the activations' per-tensor scale
// (their largest magnitude over e4m3's 448), their quantization, and the epilogue that applies
// the weights' per-channel scales, the bias and the activation while narrowing to fp16.
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <algorithm>

#include "../gpu/check.h"
#include "element.cuh"
#include "fp8_kernels.h"
#include "launch.cuh"

namespace trtfarm::cuda {
namespace {

constexpr int kThreads = 256;
constexpr float kE4m3Max = 448.0f;

unsigned gridFor(int64_t groups) {
  return static_cast<unsigned>(std::max<int64_t>(1, std::min<int64_t>((groups + kThreads - 1) / kThreads, 4096)));
}

// Non-negative floats order as their bit patterns: an integer atomicMax is a float max.
__global__ void absMaxKernel(const uint4* __restrict__ x, int64_t groups, unsigned* __restrict__ amax) {
  enterDependentGrid();
  float m = 0.0f;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < groups; i += int64_t(gridDim.x) * blockDim.x) {
    const uint4 v = __ldg(x + i);
    const __half2* h = reinterpret_cast<const __half2*>(&v);
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const float2 f = __half22float2(__habs2(h[j]));
      m = fmaxf(m, fmaxf(f.x, f.y));
    }
  }
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, offset));
  if ((threadIdx.x & 31) == 0) atomicMax(amax, __float_as_uint(m));
}

__device__ __forceinline__ float scaleOf(const unsigned* amax) {
  const float a = __uint_as_float(*amax);
  return a > 0.0f && a < INFINITY ? a / kE4m3Max : 1.0f;
}

__global__ void quantizeKernel(const uint4* __restrict__ x, uint2* __restrict__ q, int64_t groups,
                               const unsigned* __restrict__ amax, float* __restrict__ scale) {
  enterDependentGrid();
  const float s = scaleOf(amax), inverse = 1.0f / s;
  if (blockIdx.x == 0 && threadIdx.x == 0) *scale = s;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < groups; i += int64_t(gridDim.x) * blockDim.x) {
    const uint4 v = __ldg(x + i);
    const __half2* h = reinterpret_cast<const __half2*>(&v);
    __nv_fp8x2_storage_t out[4];
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      float2 f = __half22float2(h[j]);
      f.x *= inverse;
      f.y *= inverse;
      out[j] = __nv_cvt_float2_to_fp8x2(f, __NV_SATFINITE, __NV_E4M3);
    }
    q[i] = *reinterpret_cast<const uint2*>(out);
  }
}

__global__ void epilogueKernel(const uint2* d, const float* __restrict__ channelScale, float factor,
                               const __half* __restrict__ bias, __half* y, int64_t groups, int64_t n, Activation act,
                               float alpha) {
  enterDependentGrid();
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < groups; i += int64_t(gridDim.x) * blockDim.x) {
    const uint2 v = d[i];
    const __half* in = reinterpret_cast<const __half*>(&v);
    const int64_t col = (i * 4) % n;  // n is a multiple of 4: the four share a row
    __half out[4];
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      const float b = bias != nullptr ? __half2float(bias[col + j]) : 0.0f;
      out[j] = __float2half_rn(activate(fmaf(__half2float(in[j]), channelScale[col + j] * factor, b), act, alpha));
    }
    reinterpret_cast<uint2*>(y)[i] = *reinterpret_cast<const uint2*>(out);
  }
}

__global__ void dequantizeKernel(const uint8_t* __restrict__ w, __half* __restrict__ out, int64_t count, int64_t k) {
  enterDependentGrid();
  const float* scale = reinterpret_cast<const float*>(w + count);
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x)
    out[i] = __float2half_rn(__half2float(__half(__nv_cvt_fp8_to_halfraw(w[i], __NV_E4M3))) * scale[i / k]);
}

}  // namespace

void launchDequantizeE4m3(const void* w, void* out, int64_t n, int64_t k, cudaStream_t stream) {
  launchDependent("fp8 dequantize kernel", dequantizeKernel, dim3(gridFor(n * k)), dim3(kThreads), 0, stream,
                  static_cast<const uint8_t*>(w), static_cast<__half*>(out), n * k, k);
}

void launchQuantizeE4m3(const void* x, void* q, int64_t count, unsigned* amax, float* scale, cudaStream_t stream) {
  const int64_t groups = count / 8;
  gpu::check(cudaMemsetAsync(amax, 0, sizeof(unsigned), stream), "cudaMemsetAsync(amax)");
  launchDependent("fp8 absmax kernel", absMaxKernel, dim3(gridFor(groups)), dim3(kThreads), 0, stream,
                  static_cast<const uint4*>(x), groups, amax);
  launchDependent("fp8 quantize kernel", quantizeKernel, dim3(gridFor(groups)), dim3(kThreads), 0, stream,
                  static_cast<const uint4*>(x), static_cast<uint2*>(q), groups, static_cast<const unsigned*>(amax),
                  scale);
}

void launchFp8Epilogue(const void* d, const float* channelScale, float factor, const void* bias, void* y, int64_t rows,
                       int64_t n, Activation act, float alpha, cudaStream_t stream) {
  const int64_t groups = rows * n / 4;
  launchDependent("fp8 epilogue kernel", epilogueKernel, dim3(gridFor(groups)), dim3(kThreads), 0, stream,
                  static_cast<const uint2*>(d), channelScale, factor, static_cast<const __half*>(bias),
                  static_cast<__half*>(y), groups, n, act, alpha);
}

}  // namespace trtfarm::cuda
