// Calls f(T{}) with the device element type that stores `type`.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "../core/error.h"
#include "../core/program.h"
#include "../core/weights.h"

namespace trtfarm::cuda {

template <typename F>
void withElementType(DType type, F&& f) {
  switch (type) {
    case DType::F32: f(float{}); return;
    case DType::F16: f(__half{}); return;
    case DType::BF16: f(__nv_bfloat16{}); return;
    // e4m3 is how fp8 plans store FC weights, which only the fp8 kernels read: never an activation's type.
    case DType::F8E4M3: throw Error(ErrorCode::Plan, "e4m3 weights have no element type of their own here");
  }
  throw Error(ErrorCode::Plan, "unknown dtype " + std::to_string(static_cast<int>(type)));
}

}  // namespace trtfarm::cuda
