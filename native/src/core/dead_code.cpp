#include "passes.h"

namespace trtfarm {

void removeDeadCode(Program& program) {
  std::vector<bool> live(program.values.size(), false);
  for (int32_t v : program.outputs) live[v] = true;
  std::vector<bool> keepOp(program.ops.size(), false);
  for (size_t i = program.ops.size(); i-- > 0;) {
    const Op& op = program.ops[i];
    if (!live[op.output]) continue;
    keepOp[i] = true;
    for (int32_t v : op.inputs) live[v] = true;
  }
  for (int32_t v : program.inputs) live[v] = true;  // callers still pass every declared input

  std::vector<bool> liveWeights(program.weights.size(), false);
  for (size_t v = 0; v < program.values.size(); ++v)
    if (live[v] && program.values[v].constant >= 0) liveWeights[program.values[v].constant] = true;
  for (size_t i = 0; i < program.ops.size(); ++i) {
    if (!keepOp[i]) continue;
    if (program.ops[i].weight >= 0) liveWeights[program.ops[i].weight] = true;
    if (program.ops[i].bias >= 0) liveWeights[program.ops[i].bias] = true;
  }

  Program out;
  out.shapesOnly = program.shapesOnly;
  std::vector<int32_t> weightIndex(program.weights.size(), -1), valueIndex(program.values.size(), -1);
  for (size_t w = 0; w < program.weights.size(); ++w)
    if (liveWeights[w]) {
      weightIndex[w] = static_cast<int32_t>(out.weights.size());
      out.weights.push_back(std::move(program.weights[w]));
    }
  for (size_t v = 0; v < program.values.size(); ++v)
    if (live[v]) {
      valueIndex[v] = static_cast<int32_t>(out.values.size());
      Value value = program.values[v];
      if (value.constant >= 0) value.constant = weightIndex[value.constant];
      out.values.push_back(value);
    }
  for (size_t i = 0; i < program.ops.size(); ++i) {
    if (!keepOp[i]) continue;
    Op op = program.ops[i];
    for (int32_t& v : op.inputs) v = valueIndex[v];
    op.output = valueIndex[op.output];
    if (op.weight >= 0) op.weight = weightIndex[op.weight];
    if (op.bias >= 0) op.bias = weightIndex[op.bias];
    out.ops.push_back(op);
  }
  for (int32_t v : program.inputs) out.inputs.push_back(valueIndex[v]);
  for (int32_t v : program.outputs) out.outputs.push_back(valueIndex[v]);
  program = std::move(out);
}

}  // namespace trtfarm
