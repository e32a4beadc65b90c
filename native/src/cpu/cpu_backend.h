// The reference backend: runs any program in fp32 on the host CPU. Always built; plans are
// portable across machines because the computation is generic code, not tuned tactics.
#pragma once

#include <memory>

#include "core/backend.h"

namespace trtfarm::cpu {

// compiled = available = true; one device: this machine's CPU model and memory.
BackendStatus status();
// Throws Error{ErrorCode::Backend} for a device other than 0.
std::unique_ptr<Backend> create(int device);

}  // namespace trtfarm::cpu
