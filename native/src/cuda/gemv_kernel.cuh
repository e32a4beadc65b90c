// The small-batch FC tactic. At a few rows the product is a pass over W (n·k weights read once),
// so the kernel is built for memory bandwidth: each warp streams whole rows of W with 16-byte
// loads marked evict-first (W is read once), double-buffered in registers so the next loads are
// in flight while the current ones are used, and fuses bias and activation into the store.
// Launched as a dependent grid, it issues its first W loads before waiting for the previous
// layer (W does not depend on it). Two ways to read x: straight from global memory (fine for
// one or two rows), or staged once per block in shared memory as fp32, which stops every warp
// from re-reading x through L2 and converting it again at 4-16 rows. Two pipeline depths (4 or
// 8 16-byte loads of W in flight per lane and buffer): the deeper one hides more latency where
// the rows are short, at the price of registers; the autotuner picks per card.
// fp8 weights (e4m3, 16 to a load) carry one fp32 scale per output feature after the matrix;
// their x, bias and y are fp16 (or fp32 at the network's edge).
// The GEMV kernel templates, included by the per-type instantiation files (gemv_launch.h).
#pragma once

#include <cuda_fp8.h>

#include <cstdint>
#include <type_traits>

#include "../gpu/check.h"
#include "element.cuh"
#include "gemv_launch.h"
#include "launch.cuh"

namespace trtfarm::cuda {

constexpr int kWarpsPerBlock = 8;
constexpr int kLoadsPerStep = 4;  // 16-byte loads of W per lane per step and buffer (two buffers; 8 features: 8)
constexpr int kDeepLoadsPerStep = 8;

// The 16 bytes of a uint4 as fp32 values: 4 floats, or 8 halves / bfloat16s.
template <typename T>
struct Lanes;
template <>
struct Lanes<float> {
  static constexpr int kCount = 4;
  __device__ static void unpack(const uint4& v, float* out) {
    out[0] = __uint_as_float(v.x);
    out[1] = __uint_as_float(v.y);
    out[2] = __uint_as_float(v.z);
    out[3] = __uint_as_float(v.w);
  }
};
template <>
struct Lanes<__half> {
  static constexpr int kCount = 8;
  __device__ static void unpack(const uint4& v, float* out) {
    const __half2* h = reinterpret_cast<const __half2*>(&v);
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const float2 f = __half22float2(h[i]);
      out[2 * i] = f.x;
      out[2 * i + 1] = f.y;
    }
  }
};
template <>
struct Lanes<__nv_bfloat16> {
  static constexpr int kCount = 8;
  __device__ static void unpack(const uint4& v, float* out) {
    const __nv_bfloat162* h = reinterpret_cast<const __nv_bfloat162*>(&v);
#pragma unroll
    for (int i = 0; i < 4; ++i) {
      const float2 f = __bfloat1622float2(h[i]);
      out[2 * i] = f.x;
      out[2 * i + 1] = f.y;
    }
  }
};

template <>
struct Lanes<__nv_fp8_e4m3> {
  static constexpr int kCount = 16;
  __device__ static void unpack(const uint4& v, float* out) {
    const __nv_fp8x2_storage_t* pairs = reinterpret_cast<const __nv_fp8x2_storage_t*>(&v);
#pragma unroll
    for (int i = 0; i < 8; ++i) {
      const float2 f = __half22float2(__half2(__nv_cvt_fp8x2_to_halfraw2(pairs[i], __NV_E4M3)));
      out[2 * i] = f.x;
      out[2 * i + 1] = f.y;
    }
  }
};

// The type of x, bias and y beside weights of type T.
template <typename T>
struct ActivationsOf {
  using type = T;
};
template <>
struct ActivationsOf<__nv_fp8_e4m3> {
  using type = __half;
};
template <typename T>
using Act = typename ActivationsOf<T>::type;

// V consecutive x values at p as fp32: one 16-byte load, or two for fp32 x beside 16-bit weights.
template <typename XT, int V>
__device__ __forceinline__ void loadX(const XT* p, float* out) {
  if constexpr (sizeof(XT) * V == 16) {
    Lanes<XT>::unpack(__ldg(reinterpret_cast<const uint4*>(p)), out);
  } else {
#pragma unroll
    for (int h = 0; h < V / Lanes<XT>::kCount; ++h)
      Lanes<XT>::unpack(__ldg(reinterpret_cast<const uint4*>(p) + h), out + h * Lanes<XT>::kCount);
  }
}

// FEATURES output features per warp, up to MAXR rows of x; SHARED_X: x staged in shared memory
// as fp32 (rows·k·4 bytes of dynamic shared memory). x is XT and y is YT: the weights' type, or
// fp32 where the layer reads the network's input or writes its output (no conversion kernel).
// scale: fp8's per-feature scales (nullptr for the other types).
template <typename T, typename XT, typename YT, int MAXR, int FEATURES, bool SHARED_X, bool DEEP>
__global__ void __launch_bounds__(kWarpsPerBlock * 32)
    gemvKernel(const T* __restrict__ w, const float* __restrict__ scale, const Act<T>* __restrict__ bias,
               const XT* __restrict__ x, YT* __restrict__ y, int rows, int64_t k, int64_t n, Activation act,
               float alpha) {
  extern __shared__ float4 shared[];
  constexpr int V = Lanes<T>::kCount;
  constexpr int kLoads = DEEP ? kDeepLoadsPerStep : kLoadsPerStep;
  constexpr int UNROLL = FEATURES >= kLoads ? 1 : kLoads / FEATURES;
  constexpr int64_t kStep = 32 * V;
  const int lane = threadIdx.x & 31;
  const int64_t first = (int64_t(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5)) * FEATURES;

  uint4 next[UNROLL][FEATURES];
  auto load = [&](int64_t base) {
#pragma unroll
    for (int u = 0; u < UNROLL; ++u)
#pragma unroll
      for (int f = 0; f < FEATURES; ++f) {
        const int64_t col = base + u * kStep, feature = first + f;
        next[u][f] = (col < k && feature < n) ? __ldcs(reinterpret_cast<const uint4*>(w + feature * k + col))
                                              : make_uint4(0, 0, 0, 0);
      }
  };
  load(lane * V);
  enterDependentGrid();

  // Shared x, row r: V/4 planes of float4s, plane q holding elements 4q..4q+3 of every group of
  // V: a lane's reads are then consecutive float4s across the warp (no bank conflicts).
  constexpr int kPlanes = V / 4;
  const int64_t planeFloats = k / kPlanes;
  const float* xs = reinterpret_cast<const float*>(shared);
  if constexpr (SHARED_X) {
    // Eight loads in flight per thread: staging is a handful of L2 round trips, not dozens.
    constexpr int kBatch = V >= 16 ? 4 : 8;  // fp8's 16 values a load: the same registers
    const int64_t total = rows * k, stride = int64_t(blockDim.x) * V;
    for (int64_t start = threadIdx.x * int64_t(V); start < total; start += stride * kBatch) {
      float f[kBatch][V];
#pragma unroll
      for (int j = 0; j < kBatch; ++j) {
        const int64_t i = start + j * stride;
        if (i < total) loadX<XT, V>(x + i, f[j]);
      }
#pragma unroll
      for (int j = 0; j < kBatch; ++j) {
        const int64_t i = start + j * stride;
        if (i >= total) break;
        const int64_t r = i / k, group = (i - r * k) / V;
#pragma unroll
        for (int q = 0; q < kPlanes; ++q)
          reinterpret_cast<float4*>(reinterpret_cast<float*>(shared) + r * k + q * planeFloats)[group] =
              make_float4(f[j][4 * q], f[j][4 * q + 1], f[j][4 * q + 2], f[j][4 * q + 3]);
      }
    }
    __syncthreads();
  }
  if (first >= n) return;

  float acc[FEATURES][MAXR];
#pragma unroll
  for (int f = 0; f < FEATURES; ++f)
#pragma unroll
    for (int r = 0; r < MAXR; ++r) acc[f][r] = 0.0f;

  for (int64_t base = lane * V; base < k; base += kStep * UNROLL) {
    uint4 current[UNROLL][FEATURES];
#pragma unroll
    for (int u = 0; u < UNROLL; ++u)
#pragma unroll
      for (int f = 0; f < FEATURES; ++f) current[u][f] = next[u][f];
    load(base + kStep * UNROLL);
#pragma unroll
    for (int u = 0; u < UNROLL; ++u) {
      const int64_t col = base + u * kStep;
      if (col >= k) break;
      float wf[FEATURES][V];
#pragma unroll
      for (int f = 0; f < FEATURES; ++f) Lanes<T>::unpack(current[u][f], wf[f]);
#pragma unroll
      for (int r = 0; r < MAXR; ++r) {
        if (r >= rows) break;
        float xf[V];
        if constexpr (SHARED_X) {
#pragma unroll
          for (int q = 0; q < kPlanes; ++q) {
            const float4 v = reinterpret_cast<const float4*>(xs + r * k + q * planeFloats)[col / V];
            xf[4 * q] = v.x;
            xf[4 * q + 1] = v.y;
            xf[4 * q + 2] = v.z;
            xf[4 * q + 3] = v.w;
          }
        } else {
          loadX<XT, V>(x + r * k + col, xf);
        }
#pragma unroll
        for (int f = 0; f < FEATURES; ++f)
#pragma unroll
          for (int e = 0; e < V; ++e) acc[f][r] = fmaf(wf[f][e], xf[e], acc[f][r]);
      }
    }
  }

#pragma unroll
  for (int f = 0; f < FEATURES; ++f) {
    const int64_t feature = first + f;
    const float b = (bias != nullptr && feature < n) ? toFloat(bias[feature]) : 0.0f;
    const float s = (scale != nullptr && feature < n) ? scale[feature] : 1.0f;
#pragma unroll
    for (int r = 0; r < MAXR; ++r) {
      float v = acc[f][r];
#pragma unroll
      for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
      // Lane r stores row r, so the stores of one feature spread over the warp.
      if (r < rows && lane == (r & 31) && feature < n) y[r * n + feature] = fromFloat<YT>(activate(fmaf(v, s, b), act, alpha));
    }
  }
}

template <typename T, typename XT, typename YT, int MAXR, int FEATURES, bool SHARED_X, bool DEEP>
void launchKernel(const T* w, const Act<T>* bias, const XT* x, YT* y, int rows, int64_t k, int64_t n, Activation act,
                  float alpha, cudaStream_t stream) {
  auto kernel = gemvKernel<T, XT, YT, MAXR, FEATURES, SHARED_X, DEEP>;
  const float* scale =
      std::is_same_v<T, __nv_fp8_e4m3> ? reinterpret_cast<const float*>(w + n * k) : nullptr;  // after the matrix
  const size_t shared = SHARED_X ? static_cast<size_t>(rows) * k * sizeof(float) : 0;
  if (SHARED_X) {
    // Once per kernel: allow the largest staging any launch may ask for.
    static const cudaError_t configured =
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, sharedLimit());
    gpu::check(configured, "cudaFuncSetAttribute(gemv shared memory)");
  }
  const int64_t warps = (n + FEATURES - 1) / FEATURES;
  const dim3 blocks(static_cast<unsigned>((warps + kWarpsPerBlock - 1) / kWarpsPerBlock));
  launchDependent("gemv kernel", kernel, blocks, dim3(kWarpsPerBlock * 32), shared, stream, w, scale, bias, x, y,
                  rows, k, n, act, alpha);
}

// x from the network's fp32 input needs x staged in shared memory (the other variants read x in
// the weights' type).
template <typename T, typename XT, typename YT, int MAXR, bool DEEP>
void launchDepth(int variant, const T* w, const Act<T>* bias, const XT* x, YT* y, int rows, int64_t k, int64_t n,
                 Activation act, float alpha, cudaStream_t stream) {
  constexpr bool kPlainX = std::is_same_v<Act<T>, XT>;
  auto launch = [&](auto features, auto sharedX) {
    launchKernel<T, XT, YT, MAXR, decltype(features)::value, decltype(sharedX)::value, DEEP>(w, bias, x, y, rows, k,
                                                                                             n, act, alpha, stream);
  };
  using One = std::integral_constant<int, 1>;
  using Two = std::integral_constant<int, 2>;
  using Four = std::integral_constant<int, 4>;
  using Eight = std::integral_constant<int, 8>;
  switch (variant & 7) {
    case 0: if constexpr (kPlainX) launch(One{}, std::false_type{}); return;
    case 1: if constexpr (kPlainX) launch(Two{}, std::false_type{}); return;
    case 2: if constexpr (kPlainX) launch(Four{}, std::false_type{}); return;
    case 4: return launch(One{}, std::true_type{});
    case 5: return launch(Two{}, std::true_type{});
    case 6: return launch(Four{}, std::true_type{});
    default:
      if constexpr (MAXR <= 8) launch(Eight{}, std::true_type{});
      return;
  }
}

// Bit 3 of the variant: the deep pipeline.
template <typename T, typename XT, typename YT, int MAXR>
void launchRows(int variant, const T* w, const Act<T>* bias, const XT* x, YT* y, int rows, int64_t k, int64_t n,
                Activation act, float alpha, cudaStream_t stream) {
  if (variant & 8) launchDepth<T, XT, YT, MAXR, true>(variant, w, bias, x, y, rows, k, n, act, alpha, stream);
  else launchDepth<T, XT, YT, MAXR, false>(variant, w, bias, x, y, rows, k, n, act, alpha, stream);
}

template <typename T, typename XT, typename YT>
void launchGemvTyped(int variant, const void* w, const void* bias, const void* x, void* y, int rows, int64_t k,
                     int64_t n, Activation act, float alpha, cudaStream_t stream) {
  const T* wt = static_cast<const T*>(w);
  const Act<T>* bt = static_cast<const Act<T>*>(bias);
  const XT* xt = static_cast<const XT*>(x);
  YT* yt = static_cast<YT*>(y);
  if (rows == 1) launchRows<T, XT, YT, 1>(variant, wt, bt, xt, yt, rows, k, n, act, alpha, stream);
  else if (rows <= 2) launchRows<T, XT, YT, 2>(variant, wt, bt, xt, yt, rows, k, n, act, alpha, stream);
  else if (rows <= 4) launchRows<T, XT, YT, 4>(variant, wt, bt, xt, yt, rows, k, n, act, alpha, stream);
  else if (rows <= 8) launchRows<T, XT, YT, 8>(variant, wt, bt, xt, yt, rows, k, n, act, alpha, stream);
  else launchRows<T, XT, YT, 16>(variant, wt, bt, xt, yt, rows, k, n, act, alpha, stream);
}

#define TRTFARM_GEMV_INSTANCE(T, XT, YT)                                                                   \
  template void launchGemvTyped<T, XT, YT>(int, const void*, const void*, const void*, void*, int, int64_t, \
                                           int64_t, Activation, float, cudaStream_t);

}  // namespace trtfarm::cuda
