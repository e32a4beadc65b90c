// Checked cuBLASLt calls and an owned cuBLASLt handle. Apart from check.h because only the cuda
// backend links cuBLASLt: the tensorrt backend includes check.h alone.
#pragma once

#include <cublasLt.h>

#include "check.h"
#include "owned.h"

namespace trtfarm::gpu {

inline void check(cublasStatus_t status, const char* what) {
  if (status != CUBLAS_STATUS_SUCCESS) fail(what, cublasLtGetStatusName(status), cublasLtGetStatusString(status));
}

using LtHandle = Owned<cublasLtHandle_t, cublasLtDestroy>;

inline LtHandle newLtHandle() {
  cublasLtHandle_t handle = nullptr;
  check(cublasLtCreate(&handle), "cublasLtCreate");
  return LtHandle(handle);
}

}  // namespace trtfarm::gpu
