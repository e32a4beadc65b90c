// Evaluates one op on constant operands at build time (constant folding), in double precision.
#pragma once

#include <vector>

#include "program.h"

namespace trtfarm {

// A constant operand: its shape and fp32 data.
struct HostTensor {
  Dims shape;
  std::vector<float> data;
};

// `weights` are the Gemm's weight/bias (fp32); `outShape` is the op's inferred output shape.
HostTensor evaluateOp(const Op& op, const std::vector<const HostTensor*>& inputs, const Program& program,
                      const Dims& outShape);

double activate(Activation activation, double x, double alpha);

}  // namespace trtfarm
