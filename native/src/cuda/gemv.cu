// The small-batch FC tactic. At a few rows the product is a pass over W (n·k weights read once),
// so the kernel is built for memory bandwidth: each warp streams whole rows of W with 16-byte
// loads marked evict-first (W is read once; x is what should stay in cache), keeps several
// loads in flight per lane, and fuses bias and activation into the store.
#include <cstdint>

#include "check.h"
#include "dtype_dispatch.h"
#include "element.cuh"
#include "kernels.h"

namespace trtfarm::cuda {
namespace {

constexpr int kWarpsPerBlock = 8;

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

// FEATURES output features per warp, up to MAXR rows of x. Loads of W per lane in flight per
// step: UNROLL · FEATURES = 4.
template <typename T, int MAXR, int FEATURES>
__global__ void __launch_bounds__(kWarpsPerBlock * 32)
    gemvKernel(const T* __restrict__ w, const T* __restrict__ bias, const T* __restrict__ x, T* __restrict__ y,
               int rows, int64_t k, int64_t n, Activation act, float alpha) {
  constexpr int V = Lanes<T>::kCount;
  constexpr int UNROLL = FEATURES >= 4 ? 1 : 4 / FEATURES;
  constexpr int64_t kStep = 32 * V;
  const int lane = threadIdx.x & 31;
  const int64_t first = (int64_t(blockIdx.x) * kWarpsPerBlock + (threadIdx.x >> 5)) * FEATURES;
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

template <typename T, int MAXR>
void launchRows(int variant, const T* w, const T* bias, const T* x, T* y, int rows, int64_t k, int64_t n,
                Activation act, float alpha, cudaStream_t stream) {
  const int features = 1 << variant;
  const int64_t warps = (n + features - 1) / features;
  const unsigned blocks = static_cast<unsigned>((warps + kWarpsPerBlock - 1) / kWarpsPerBlock);
  const unsigned threads = kWarpsPerBlock * 32;
  switch (variant) {
    case 0: gemvKernel<T, MAXR, 1><<<blocks, threads, 0, stream>>>(w, bias, x, y, rows, k, n, act, alpha); break;
    case 1: gemvKernel<T, MAXR, 2><<<blocks, threads, 0, stream>>>(w, bias, x, y, rows, k, n, act, alpha); break;
    default: gemvKernel<T, MAXR, 4><<<blocks, threads, 0, stream>>>(w, bias, x, y, rows, k, n, act, alpha); break;
  }
}

}  // namespace

bool gemvSupports(DType type, int64_t rows, int64_t k) {
  const int64_t perLoad = 16 / static_cast<int64_t>(dtypeSize(type));
  return rows >= 1 && rows <= kGemvMaxRows && k % perLoad == 0;
}

void launchGemv(DType type, int variant, const void* w, const void* bias, const void* x, void* y, int64_t rows,
                int64_t k, int64_t n, Activation act, float alpha, cudaStream_t stream) {
  if (!gemvSupports(type, rows, k) || variant < 0 || variant >= kGemvVariants)
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
  checkLaunch("gemv kernel");
}

}  // namespace trtfarm::cuda
