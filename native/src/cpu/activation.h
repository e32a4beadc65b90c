// Element-wise activations, shared by the Unary op and the gemm epilogue.
#pragma once

#include <cstddef>

#include "core/program.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

// out may equal in. Sigmoid, tanh and gelu are vectorized approximations accurate to a few ulp
// (relative error below 1e-6), NaN in gives NaN out.
void activateAll(const float* in, float* out, size_t count, Activation act, float alpha);
// The same, split across the pool when large (the Unary op).
void activateAll(const float* in, float* out, size_t count, Activation act, float alpha, ThreadPool& pool);

}  // namespace trtfarm::cpu
