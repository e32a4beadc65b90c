// Element-wise binary ops with numpy broadcasting.
#pragma once

#include "core/program.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

// out = a ∘ b, shapes right-aligned, size-1 dims broadcast; outShape is the broadcast shape.
// Large outputs are split by rows across the pool.
void binary(BinaryOp op, const float* a, const Dims& aShape, const float* b, const Dims& bShape, float* out,
            const Dims& outShape, ThreadPool& pool);

}  // namespace trtfarm::cpu
