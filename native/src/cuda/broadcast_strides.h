// An element-wise op's numpy broadcast at concrete shapes, as the binary kernel reads it.
#pragma once

#include "../core/program.h"
#include "kernels.h"

namespace trtfarm::cuda {

// `out` is the broadcast of `a` and `b` (the plan check saw to it). Throws Error{Plan} when
// its rank is over kMaxRank, which the kernel cannot index.
Broadcast broadcastStrides(const Dims& a, const Dims& b, const Dims& out);

}  // namespace trtfarm::cuda
