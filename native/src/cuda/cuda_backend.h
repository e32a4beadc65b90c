// The GPU backend: each fully-connected op is one cuBLASLt matmul with a fused epilogue (or a
// GEMV kernel where that is faster), tactics autotuned per batch bucket at build time, the
// network replayed as a CUDA graph. Compiled only when CMake finds CUDA with cuBLASLt.
#pragma once

#include <memory>

#include "../core/backend.h"

namespace trtfarm::cuda {

// compiled = true; available when a CUDA device is visible (else reason says why); one entry
// per visible device (name, compute capability "9.0", memory); version "cuda 13.0, cublasLt 13.1.0".
BackendStatus status();
// Binds to visible device `device`. Throws Error{ErrorCode::Backend} when there is no such device.
std::unique_ptr<Backend> create(int device);

}  // namespace trtfarm::cuda
