// Batched matrix products of two program values (a matrixMultiply that did not become a Gemm:
// both operands computed at run time, or a transposed a).
#pragma once

#include "core/program.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

// out[..., M, N] = op(a)[..., M, K] · op(b)[..., K, N], leading dims broadcast; a rank-1 operand
// is a row (a) or a column (b) vector as in numpy.
void matmul(const float* a, const Dims& aShape, bool transposeA, const float* b, const Dims& bShape,
            bool transposeB, float* out, ThreadPool& pool);

}  // namespace trtfarm::cpu
