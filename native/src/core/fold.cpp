#include <cmath>

#include "const_eval.h"
#include "error.h"
#include "passes.h"
#include "shapes.h"
#include "weights.h"

namespace trtfarm {

void foldConstants(Program& program, const CancelFlag* cancel, FoldCost& cost) {
  std::vector<Op> kept;
  for (const Op& op : program.ops) {
    bool constant = true;
    for (int32_t v : op.inputs) constant = constant && program.values[v].constant >= 0;
    if (!constant) {
      kept.push_back(op);
      continue;
    }
    throwIfCancelled(cancel);
    Value& out = program.values[op.output];
    cost.flops += evaluationFlops(op, program);
    cost.bytes += static_cast<double>(numelPerBatch(out.shape)) * sizeof(float);
    if (program.shapesOnly) {
      program.weights.push_back(Weights{DType::F32, out.shape, {}});
      out.constant = static_cast<int32_t>(program.weights.size()) - 1;
      continue;
    }
    std::vector<HostTensor> operands;
    for (int32_t v : op.inputs) {
      const Weights& w = program.weights[program.values[v].constant];
      operands.push_back(HostTensor{program.values[v].shape, widen(w)});
    }
    std::vector<const HostTensor*> pointers;
    for (const HostTensor& t : operands) pointers.push_back(&t);
    const HostTensor result = evaluateOp(op, pointers, program, out.shape, cancel);
    for (float v : result.data)
      if (!std::isfinite(v))
        throw Error(ErrorCode::Network, "layer '" + out.name + "' computes a non-finite value from constants (overflow)");
    program.weights.push_back(makeWeights(out.shape, result.data));
    out.constant = static_cast<int32_t>(program.weights.size()) - 1;
  }
  program.ops = kept;
}

}  // namespace trtfarm
