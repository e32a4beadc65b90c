// The GEMV tactic's host side: which variants run which shapes, and dispatch to the kernel
// instantiations (gemv_kernel.cuh has the kernel and why it is built the way it is).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include "../core/error.h"
#include "../core/weights.h"
#include "gemv_launch.h"
#include "kernels.h"

namespace trtfarm::cuda {
namespace {

// Variants: bits 0-1 give 2^v features per warp (1, 2, 4; 8 with shared x); bit 2 stages x in
// shared memory; bit 3 doubles the loads in flight.
struct Variant {
  int features;
  bool sharedX;
  bool deep;
};
Variant decode(int variant) { return {1 << (variant & 3), (variant & 4) != 0, (variant & 8) != 0}; }

}  // namespace

int sharedLimit() {
  static const int limit = [] {
    int device = 0, bytes = 0;
    if (cudaGetDevice(&device) != cudaSuccess ||
        cudaDeviceGetAttribute(&bytes, cudaDevAttrMaxSharedMemoryPerBlockOptin, device) != cudaSuccess)
      bytes = 48 << 10;
    return bytes;
  }();
  return limit;
}

bool gemvSupports(DType type, int variant, int64_t rows, int64_t k) {
  const int64_t perLoad = 16 / static_cast<int64_t>(dtypeSize(type));
  if (variant < 0 || variant >= kGemvVariants || (variant & 7) == 3) return false;
  // 8 features per warp: registers for up to 8 rows only, and only worth it with x in shared memory.
  if (rows < 1 || rows > ((variant & 3) == 3 ? 8 : kGemvMaxRows) || k % perLoad != 0) return false;
  return !decode(variant).sharedX || rows * k * static_cast<int64_t>(sizeof(float)) <= sharedLimit();
}

int gemvFeaturesPerWarp(int variant) { return decode(variant).features; }
bool gemvStagesX(int variant) { return decode(variant).sharedX; }
bool gemvDeep(int variant) { return decode(variant).deep; }

void launchGemv(DType type, DType xType, DType yType, int variant, const void* w, const void* bias, const void* x,
                void* y, int64_t rows, int64_t k, int64_t n, Activation activation, float alpha, cudaStream_t stream) {
  const DType act = type == DType::F8E4M3 ? DType::F16 : type;  // x's and y's type inside the network
  const bool plain = xType == act && yType == act;
  const bool edge = (xType == act || xType == DType::F32) && (yType == act || yType == DType::F32);
  if (!gemvSupports(type, variant, rows, k) || !edge || (xType != act && !decode(variant).sharedX))
    throw Error(ErrorCode::Runtime, "gemv tactic cannot run rows=" + std::to_string(rows) + " k=" + std::to_string(k));
  const int r = static_cast<int>(rows);
  const bool fx = xType == DType::F32, fy = yType == DType::F32;
  // The weights' type T, with x and y each in A (T, fp16 beside fp8) or (at the network's edge) fp32.
  auto launch = [&](auto t, auto a) {
    using T = decltype(t);
    using A = decltype(a);
    if (plain) launchGemvTyped<T, A, A>(variant, w, bias, x, y, r, k, n, activation, alpha, stream);
    else if (fx && fy) launchGemvTyped<T, float, float>(variant, w, bias, x, y, r, k, n, activation, alpha, stream);
    else if (fx) launchGemvTyped<T, float, A>(variant, w, bias, x, y, r, k, n, activation, alpha, stream);
    else launchGemvTyped<T, A, float>(variant, w, bias, x, y, r, k, n, activation, alpha, stream);
  };
  switch (type) {
    case DType::F32:
      launchGemvTyped<float, float, float>(variant, w, bias, x, y, r, k, n, activation, alpha, stream);
      break;
    case DType::F16: launch(__half{}, __half{}); break;
    case DType::BF16: launch(__nv_bfloat16{}, __nv_bfloat16{}); break;
    case DType::F8E4M3: launch(__nv_fp8_e4m3{}, __half{}); break;
  }
}

}  // namespace trtfarm::cuda
