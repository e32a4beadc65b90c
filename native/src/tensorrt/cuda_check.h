// CUDA runtime failures become trtfarm errors (never aborts), naming the call that failed.
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "../core/error.h"

namespace trtfarm::tensorrt {

inline void checkCuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) {
    throw Error(ErrorCode::Runtime, std::string("tensorrt: ") + what + ": " + cudaGetErrorString(status));
  }
}

}  // namespace trtfarm::tensorrt
