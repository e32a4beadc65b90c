// The TensorRT backend: builds trtfarm programs into TensorRT engines (the serialized engine
// becomes the plan's tactics) and runs them. Compiled only where the TensorRT SDK is found
// (TRTFARM_HAVE_TENSORRT); see README.md beside this file for what has been verified.
#pragma once

#include <memory>

#include "../core/backend.h"

namespace trtfarm::tensorrt {

// compiled = true; available when the CUDA runtime sees at least one GPU. version names the
// TensorRT library actually loaded and the CUDA runtime.
BackendStatus status();
// Throws Error{ErrorCode::Backend} for a device the CUDA runtime does not see.
std::unique_ptr<Backend> create(int device);

}  // namespace trtfarm::tensorrt
