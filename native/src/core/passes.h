// Build-time passes over a Program whose weights are still fp32.
#pragma once

#include "cancel.h"
#include "program.h"

namespace trtfarm {

// What constant folding computes: arithmetic (2 per multiply-add, 1 per element-wise op) and
// the bytes of the fp32 constants it makes, dropped ones included.
struct FoldCost {
  double flops = 0, bytes = 0;
};

// Evaluates every op whose operands are all constants; its output becomes a constant. Adds its
// cost to `cost`; in a shapesOnly program it only counts (nothing is evaluated).
void foldConstants(Program& program, const CancelFlag* cancel, FoldCost& cost);
// matrixMultiply(x, constant W) → Gemm, then absorbs a following bias sum and activation, and a
// reshape feeding a Gemm (a Gemm reads its input as flat rows of k).
void fuseGemms(Program& program);
// Drops ops, values and weights no output depends on, renumbering the rest in order.
void removeDeadCode(Program& program);

}  // namespace trtfarm
