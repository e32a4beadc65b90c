// The small-batch FC tactic. At a few rows the product is a pass over W (n·k weights read once),
// so the kernel is built for memory bandwidth: each warp streams whole rows of W with 16-byte
// loads marked evict-first (W is read once; x is what should stay in cache), keeps eight loads
// in flight per lane, and fuses bias and activation into the store. Launched as a dependent
// grid, it asks for its rows of W into L2 before the previous layer has finished.
#include <cstdint>

#include "check.h"
#include "dtype_dispatch.h"
#include "element.cuh"
#include "kernels.h"
#include "launch.cuh"

namespace trtfarm::cuda {
namespace {

constexpr int kWarpsPerBlock = 4;
constexpr int kLoadsInFlight = 8;  // 16-byte loads of W per lane per step

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

// L2 prefetch of `bytes` (a multiple of 16) at `p` by the copy engine: one instruction, no registers.
__device__ __forceinline__ void prefetchL2(const void* p, uint32_t bytes) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("cp.async.bulk.prefetch.L2.global [%0], %1;" ::"l"(p), "r"(bytes) : "memory");
#endif
}

// FEATURES output features per warp, up to MAXR rows of x; PREFETCH: ask for the warp's rows of
// W into L2 before waiting for the previous layer.
template <typename T, int MAXR, int FEATURES, bool PREFETCH>
__global__ void __launch_bounds__(kWarpsPerBlock * 32)
    gemvKernel(const T* __restrict__ w, const T* __restrict__ bias, const T* __restrict__ x, T* __restrict__ y,
               int rows, int64_t k, int64_t n, Activation act, float alpha) {
  constexpr int V = Lanes<T>::kCount;
  constexpr int UNROLL = kLoadsInFlight / FEATURES;
  constexpr int64_t kStep = 32 * V;
  const int lane = threadIdx.x & 31;
  const int64_t first = (int64_t(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5)) * FEATURES;
  // W does not depend on the previous layer: start its transfer before waiting for that layer.
  if (PREFETCH && lane < FEATURES && first + lane < n)
    prefetchL2(w + (first + lane) * k, static_cast<uint32_t>(k * sizeof(T)));
  enterDependentGrid();
  if (first >= n) return;

  float acc[FEATURES][MAXR];
#pragma unroll
  for (int f = 0; f < FEATURES; ++f)
#pragma unroll
    for (int r = 0; r < MAXR; ++r) acc[f][r] = 0.0f;

  for (int64_t base = lane * V; base < k; base += kStep * UNROLL) {
    uint4 wv[UNROLL][FEATURES];
#pragma unroll
    for (int u = 0; u < UNROLL; ++u)
#pragma unroll
      for (int f = 0; f < FEATURES; ++f) {
        const int64_t col = base + u * kStep;
        const int64_t feature = first + f;
        wv[u][f] = (col < k && feature < n) ? __ldcs(reinterpret_cast<const uint4*>(w + feature * k + col))
                                            : make_uint4(0, 0, 0, 0);
      }
#pragma unroll
    for (int u = 0; u < UNROLL; ++u) {
      const int64_t col = base + u * kStep;
      if (col >= k) break;
      float wf[FEATURES][V];
#pragma unroll
      for (int f = 0; f < FEATURES; ++f) Lanes<T>::unpack(wv[u][f], wf[f]);
#pragma unroll
      for (int r = 0; r < MAXR; ++r) {
        if (r >= rows) break;
        float xf[V];
        Lanes<T>::unpack(__ldg(reinterpret_cast<const uint4*>(x + r * k + col)), xf);
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
#pragma unroll
    for (int r = 0; r < MAXR; ++r) {
      float v = acc[f][r];
#pragma unroll
      for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
      // Lane r stores row r, so the stores of one feature spread over the warp.
      if (r < rows && lane == (r & 31) && feature < n) y[r * n + feature] = fromFloat<T>(activate(v + b, act, alpha));
    }
  }
}

template <typename T, int MAXR, int FEATURES>
void launchFeatures(bool prefetch, const T* w, const T* bias, const T* x, T* y, int rows, int64_t k, int64_t n,
                    Activation act, float alpha, cudaStream_t stream) {
  const int64_t warps = (n + FEATURES - 1) / FEATURES;
  const dim3 blocks(static_cast<unsigned>((warps + kWarpsPerBlock - 1) / kWarpsPerBlock));
  const dim3 threads(kWarpsPerBlock * 32);
  if (prefetch)
    launchDependent("gemv kernel", gemvKernel<T, MAXR, FEATURES, true>, blocks, threads, stream, w, bias, x, y, rows, k,
                    n, act, alpha);
  else
    launchDependent("gemv kernel", gemvKernel<T, MAXR, FEATURES, false>, blocks, threads, stream, w, bias, x, y, rows,
                    k, n, act, alpha);
}

template <typename T, int MAXR>
void launchRows(int variant, const T* w, const T* bias, const T* x, T* y, int rows, int64_t k, int64_t n,
                Activation act, float alpha, cudaStream_t stream) {
  const bool prefetch = (variant & 4) != 0;
  switch (variant & 3) {
    case 0: launchFeatures<T, MAXR, 1>(prefetch, w, bias, x, y, rows, k, n, act, alpha, stream); break;
    case 1: launchFeatures<T, MAXR, 2>(prefetch, w, bias, x, y, rows, k, n, act, alpha, stream); break;
    case 2: launchFeatures<T, MAXR, 4>(prefetch, w, bias, x, y, rows, k, n, act, alpha, stream); break;
    default:
      if constexpr (MAXR <= 8) launchFeatures<T, MAXR, 8>(prefetch, w, bias, x, y, rows, k, n, act, alpha, stream);
      break;
  }
}

}  // namespace

bool gemvSupports(DType type, int variant, int64_t rows, int64_t k) {
  const int64_t perLoad = 16 / static_cast<int64_t>(dtypeSize(type));
  const int64_t maxRows = (variant & 3) == 3 ? 8 : kGemvMaxRows;  // 8 features × 16 rows would not fit in registers
  return variant >= 0 && variant < kGemvVariants && rows >= 1 && rows <= maxRows && k % perLoad == 0;
}

void launchGemv(DType type, int variant, const void* w, const void* bias, const void* x, void* y, int64_t rows,
                int64_t k, int64_t n, Activation act, float alpha, cudaStream_t stream) {
  if (!gemvSupports(type, variant, rows, k))
    throw Error(ErrorCode::Runtime, "gemv tactic cannot run rows=" + std::to_string(rows) + " k=" + std::to_string(k));
  withElementType(type, [&](auto t) {
    using T = decltype(t);
    const T* wt = static_cast<const T*>(w);
    const T* bt = static_cast<const T*>(bias);
    const T* xt = static_cast<const T*>(x);
    T* yt = static_cast<T*>(y);
    const int r = static_cast<int>(rows);
    if (r == 1) launchRows<T, 1>(variant, wt, bt, xt, yt, r, k, n, act, alpha, stream);
    else if (r <= 2) launchRows<T, 2>(variant, wt, bt, xt, yt, r, k, n, act, alpha, stream);
    else if (r <= 4) launchRows<T, 4>(variant, wt, bt, xt, yt, r, k, n, act, alpha, stream);
    else if (r <= 8) launchRows<T, 8>(variant, wt, bt, xt, yt, r, k, n, act, alpha, stream);
    else launchRows<T, 16>(variant, wt, bt, xt, yt, r, k, n, act, alpha, stream);
  });
}

}  // namespace trtfarm::cuda
