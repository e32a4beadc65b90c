// Build-time passes over a Program whose weights are still fp32.
#pragma once

#include "program.h"

namespace trtfarm {

// Evaluates every op whose operands are all constants; its output becomes a constant.
void foldConstants(Program& program);
// matrixMultiply(x, constant W) → Gemm, then absorbs a following bias sum and activation, and a
// reshape feeding a Gemm (a Gemm reads its input as flat rows of k).
void fuseGemms(Program& program);
// Drops ops, values and weights no output depends on, renumbering the rest in order.
void removeDeadCode(Program& program);

}  // namespace trtfarm
