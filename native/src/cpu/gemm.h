// c[rows, n] = act(a[rows, k] · B + bias): the work of every FC layer, multithreaded.
#pragma once

#include <cstddef>

#include "core/program.h"
#include "packed_matrix.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

// a: row-major with leading dimension lda; c: leading dimension ldc; b holds B (k×n) and the bias.
// Every element of c sums over k in the same order whatever the thread count, so results are
// deterministic.
void gemm(const float* a, size_t lda, size_t rows, const PackedMatrix& b, Activation act, float alpha,
          float* c, size_t ldc, ThreadPool& pool);

}  // namespace trtfarm::cpu
