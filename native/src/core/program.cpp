#include "program.h"

namespace trtfarm {

Program withoutWeightBytes(const Program& program) {
  Program p;
  p.values = program.values;
  p.ops = program.ops;
  p.inputs = program.inputs;
  p.outputs = program.outputs;
  for (const Weights& w : program.weights) p.weights.push_back({w.dtype, w.shape, {}});
  return p;
}

}  // namespace trtfarm
