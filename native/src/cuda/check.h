// CUDA and cuBLASLt failures become Error{Runtime} naming the call that failed, so a worker
// reports them as a failed job instead of aborting the process.
#pragma once

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <string>

#include "../core/error.h"

namespace trtfarm::cuda {

inline void check(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  throw Error(ErrorCode::Runtime, std::string(what) + " failed: " + cudaGetErrorName(status) + " (" +
                                      cudaGetErrorString(status) + ")");
}

inline void check(cublasStatus_t status, const char* what) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  throw Error(ErrorCode::Runtime, std::string(what) + " failed: " + cublasLtGetStatusName(status) + " (" +
                                      cublasLtGetStatusString(status) + ")");
}

// After a kernel launch: launch errors (bad configuration, no kernel image for this GPU).
inline void checkLaunch(const char* kernel) { check(cudaGetLastError(), kernel); }

}  // namespace trtfarm::cuda
