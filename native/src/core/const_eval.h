// Evaluates one op on constant operands at build time (constant folding), in double precision.
#pragma once

#include <vector>

#include "cancel.h"
#include "program.h"

namespace trtfarm {

// A constant operand: its shape and fp32 data.
struct HostTensor {
  Dims shape;
  std::vector<float> data;
};

// `weights` are the Gemm's weight/bias (fp32); `outShape` is the op's inferred output shape.
// Products check `cancel` once per output row.
HostTensor evaluateOp(const Op& op, const std::vector<const HostTensor*>& inputs, const Program& program,
                      const Dims& outShape, const CancelFlag* cancel);

// The arithmetic evaluateOp does for `op` of `program` (operands constant, so shapes static):
// 2 per multiply-add of a product, 1 per element of an element-wise op, 0 for an alias.
double evaluationFlops(const Op& op, const Program& program);

double activate(Activation activation, double x, double alpha);

}  // namespace trtfarm
