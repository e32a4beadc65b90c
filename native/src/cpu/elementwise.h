// Binary ops with numpy broadcasting, and batched matrix products: the program ops besides Gemm.
#pragma once

#include "core/program.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

// out = a ∘ b, shapes right-aligned, size-1 dims broadcast; outShape is the broadcast shape.
void binary(BinaryOp op, const float* a, const Dims& aShape, const float* b, const Dims& bShape, float* out,
            const Dims& outShape);

// out[..., M, N] = op(a)[..., M, K] · op(b)[..., K, N], leading dims broadcast; a rank-1 operand
// is a row (a) or a column (b) vector as in numpy. outShape is the broadcast batch shape + [M, N]
// (without the dims a vector dropped: only its element count matters here).
void matmul(const float* a, const Dims& aShape, bool transposeA, const float* b, const Dims& bShape,
            bool transposeB, float* out, ThreadPool& pool);

}  // namespace trtfarm::cpu
