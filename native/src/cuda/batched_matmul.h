// A batched matrix product (Op::Kind::MatMul) at concrete shapes in cuBLASLt's column-major
// terms: Dᵀ[n, m] = op(B)ᵀ · op(A)ᵀ, so that cuBLASLt's A is the op's b and its B the op's a.
#pragma once

#include <cstdint>
#include <vector>

#include "../core/program.h"
#include "lt_matmul.h"

namespace trtfarm::cuda {

struct BatchedMatmul {
  // Where one product of a mixed broadcast reads and writes, in elements from each base.
  struct Product {
    int64_t a = 0, b = 0, out = 0;
  };
  LtShape shape;  // with batchCount and strides when one strided-batched call covers every matrix
  std::vector<Product> products;  // empty for that one call; else one product per output matrix
};

// `out` is what the plan check computed from `a` and `b` (ranks ≥ 2, inner dimensions agree).
BatchedMatmul batchedMatmul(DType type, Precision precision, const Dims& a, const Dims& b, const Dims& out,
                            bool transposeA, bool transposeB);

}  // namespace trtfarm::cuda
