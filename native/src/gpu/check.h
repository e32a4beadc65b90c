// CUDA runtime failures become Error{Runtime} naming the call that failed, in one format for the
// cuda and tensorrt backends, so a worker reports them as a failed job instead of aborting.
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "../core/error.h"

namespace trtfarm::gpu {

// The one message format of a failed CUDA or cuBLASLt call: "<call> failed: <status> (<text>)".
[[noreturn]] inline void fail(const char* what, const char* status, const char* text) {
  throw Error(ErrorCode::Runtime, std::string(what) + " failed: " + status + " (" + text + ")");
}

inline void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) fail(what, cudaGetErrorName(status), cudaGetErrorString(status));
}

// After a kernel launch: launch errors (bad configuration, no kernel image for this GPU).
inline void checkLaunch(const char* kernel) { check(cudaGetLastError(), kernel); }

}  // namespace trtfarm::gpu
