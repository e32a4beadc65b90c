// Device-side element access: every kernel computes in fp32 whatever the storage type.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "../core/program.h"

namespace trtfarm::cuda {

__device__ __forceinline__ float toFloat(float v) { return v; }
__device__ __forceinline__ float toFloat(__half v) { return __half2float(v); }
__device__ __forceinline__ float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename T>
__device__ __forceinline__ T fromFloat(float v);
template <>
__device__ __forceinline__ float fromFloat<float>(float v) { return v; }
template <>
__device__ __forceinline__ __half fromFloat<__half>(float v) { return __float2half_rn(v); }
template <>
__device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

// Exact (erf) GELU and full-precision exp/tanh: the fp32 engine must meet a 1e-5 tolerance.
__device__ __forceinline__ float activate(float x, Activation act, float alpha) {
  switch (act) {
    case Activation::Relu: return fmaxf(x, 0.0f);
    case Activation::Sigmoid: return 1.0f / (1.0f + expf(-x));
    case Activation::Tanh: return tanhf(x);
    case Activation::Gelu: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case Activation::LeakyRelu: return x >= 0.0f ? x : alpha * x;
    default: return x;
  }
}

}  // namespace trtfarm::cuda
