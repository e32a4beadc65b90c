// The small element-wise kernels: conversions at the network's edges, activations cuBLASLt
// cannot fuse, broadcasting binary ops, and random fill for autotuning.
#include <algorithm>

#include "../gpu/check.h"
#include "dtype_dispatch.h"
#include "element.cuh"
#include "kernels.h"
#include "launch.cuh"

namespace trtfarm::cuda {
namespace {

constexpr int kThreads = 256;

// Enough blocks to fill the GPU; grid-stride loops cover the rest.
unsigned gridFor(int64_t count) {
  const int64_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::max<int64_t>(1, std::min<int64_t>(blocks, 65535)));
}

template <typename S, typename D>
__global__ void convertKernel(const S* __restrict__ src, D* __restrict__ dst, int64_t count) {
  enterDependentGrid();
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x)
    dst[i] = fromFloat<D>(toFloat(src[i]));
}

// Eight elements per thread with 16-byte accesses: the edge conversions of large batches are
// pure memory traffic.
template <typename T>
struct alignas(16) Eight {
  T v[8];
};

template <typename S, typename D>
__global__ void convertEightKernel(const Eight<S>* __restrict__ src, Eight<D>* __restrict__ dst, int64_t groups) {
  enterDependentGrid();
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < groups; i += int64_t(gridDim.x) * blockDim.x) {
    const Eight<S> in = src[i];
    Eight<D> out;
#pragma unroll
    for (int e = 0; e < 8; ++e) out.v[e] = fromFloat<D>(toFloat(in.v[e]));
    dst[i] = out;
  }
}

template <typename T>
__global__ void activationKernel(const T* src, T* dst, int64_t count, Activation act, float alpha) {
  enterDependentGrid();
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x)
    dst[i] = fromFloat<T>(activate(toFloat(src[i]), act, alpha));
}

__device__ __forceinline__ float combine(BinaryOp op, float a, float b) {
  switch (op) {
    case BinaryOp::Sum: return a + b;
    case BinaryOp::Prod: return a * b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Max: return fmaxf(a, b);
    case BinaryOp::Min: return fminf(a, b);
  }
  return a;
}

template <typename T>
__global__ void binaryKernel(const T* __restrict__ a, const T* __restrict__ b, T* __restrict__ out, BinaryOp op,
                             Broadcast shape) {
  enterDependentGrid();
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < shape.count;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t rest = i, ai = 0, bi = 0;
    for (int d = shape.rank - 1; d >= 0; --d) {
      const int64_t coord = rest % shape.dims[d];
      rest /= shape.dims[d];
      ai += coord * shape.aStrides[d];
      bi += coord * shape.bStrides[d];
    }
    out[i] = fromFloat<T>(combine(op, toFloat(a[ai]), toFloat(b[bi])));
  }
}

// A hash of the index (no state): the same seed gives the same data on every run.
template <typename T>
__global__ void fillRandomKernel(T* dst, int64_t count, uint32_t seed) {
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    uint32_t h = static_cast<uint32_t>(i) * 0x9E3779B1u ^ seed;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    dst[i] = fromFloat<T>(static_cast<float>(h) * (2.0f / 4294967296.0f) - 1.0f);
  }
}

// Reads every 16 bytes; the store never happens but the compiler cannot know.
__global__ void touchKernel(const uint4* __restrict__ data, int64_t count, uint32_t* sink) {
  uint32_t acc = 0;
  for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < count; i += int64_t(gridDim.x) * blockDim.x) {
    const uint4 v = data[i];
    acc ^= v.x ^ v.y ^ v.z ^ v.w;
  }
  if (acc == 0x9E3779B9u) *sink = acc;
}

}  // namespace

void launchTouch(const void* data, int64_t bytes, void* sink, cudaStream_t stream) {
  const int64_t count = bytes / 16;
  touchKernel<<<gridFor(count), kThreads, 0, stream>>>(static_cast<const uint4*>(data), count,
                                                         static_cast<uint32_t*>(sink));
  gpu::checkLaunch("cache flush kernel");
}

void launchConvert(DType from, DType to, const void* src, void* dst, int64_t count, cudaStream_t stream) {
  if (count == 0) return;
  withElementType(from, [&](auto s) {
    withElementType(to, [&](auto d) {
      using S = decltype(s);
      using D = decltype(d);
      const bool aligned = reinterpret_cast<uintptr_t>(src) % 16 == 0 && reinterpret_cast<uintptr_t>(dst) % 16 == 0;
      if (count % 8 == 0 && aligned)
        launchDependent("convert kernel", convertEightKernel<S, D>, gridFor(count / 8), kThreads, 0, stream,
                        static_cast<const Eight<S>*>(src), static_cast<Eight<D>*>(dst), count / 8);
      else
        launchDependent("convert kernel", convertKernel<S, D>, gridFor(count), kThreads, 0, stream,
                        static_cast<const S*>(src), static_cast<D*>(dst), count);
    });
  });
}

void launchActivation(DType type, const void* src, void* dst, int64_t count, Activation act, float alpha,
                      cudaStream_t stream) {
  if (count == 0) return;
  withElementType(type, [&](auto t) {
    using T = decltype(t);
    launchDependent("activation kernel", activationKernel<T>, gridFor(count), kThreads, 0, stream,
                    static_cast<const T*>(src), static_cast<T*>(dst), count, act, alpha);
  });
}

void launchBinary(DType type, BinaryOp op, const void* a, const void* b, void* out, const Broadcast& shape,
                  cudaStream_t stream) {
  if (shape.count == 0) return;
  withElementType(type, [&](auto t) {
    using T = decltype(t);
    launchDependent("element-wise kernel", binaryKernel<T>, gridFor(shape.count), kThreads, 0, stream,
                    static_cast<const T*>(a), static_cast<const T*>(b), static_cast<T*>(out), op, shape);
  });
}

void launchFillRandom(DType type, void* dst, int64_t count, uint32_t seed, cudaStream_t stream) {
  if (count == 0) return;
  withElementType(type, [&](auto t) {
    using T = decltype(t);
    fillRandomKernel<T><<<gridFor(count), kThreads, 0, stream>>>(static_cast<T*>(dst), count, seed);
  });
  gpu::checkLaunch("random fill kernel");
}

}  // namespace trtfarm::cuda
