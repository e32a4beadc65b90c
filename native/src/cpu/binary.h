// Element-wise binary ops with numpy broadcasting.
#pragma once

#include "core/program.h"

namespace trtfarm::cpu {

// out = a ∘ b, shapes right-aligned, size-1 dims broadcast; outShape is the broadcast shape.
void binary(BinaryOp op, const float* a, const Dims& aShape, const float* b, const Dims& bShape, float* out,
            const Dims& outShape);

}  // namespace trtfarm::cpu
