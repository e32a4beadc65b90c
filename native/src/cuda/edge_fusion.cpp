#include "edge_fusion.h"

#include <algorithm>

#include "kernels.h"

namespace trtfarm::cuda {

ValueUses::ValueUses(const Program& program)
    : readers(program.values.size(), 0), reader(program.values.size(), -1), writer(program.values.size(), -1) {
  for (size_t i = 0; i < program.ops.size(); ++i) {
    writer[program.ops[i].output] = static_cast<int32_t>(i);
    for (int32_t v : program.ops[i].inputs) {
      ++readers[v];
      reader[v] = static_cast<int32_t>(i);
    }
  }
}

EdgeOps fp32EdgeOps(const Program& program, const ArenaPlan& arena, const ValueUses& uses,
                    const std::function<const Tactic*(int32_t op)>& gemvAt) {
  auto listed = [](const std::vector<int32_t>& list, int32_t v) { return std::count(list.begin(), list.end(), v); };
  EdgeOps edges{std::vector<int32_t>(program.inputs.size(), -1), std::vector<int32_t>(program.outputs.size(), -1)};
  for (size_t i = 0; i < program.inputs.size(); ++i) {
    const int32_t v = program.inputs[i], op = uses.reader[v];
    if (uses.readers[v] != 1 || listed(program.outputs, v) > 0 || listed(program.inputs, v) != 1) continue;
    const Tactic* gemv = gemvAt(op);
    if (gemv != nullptr && gemvStagesX(gemv->variant)) edges.input[i] = op;
  }
  for (size_t i = 0; i < program.outputs.size(); ++i) {
    const int32_t v = program.outputs[i], op = uses.writer[v];
    if (op < 0 || uses.readers[v] != 0 || arena.root[v] != v || listed(program.outputs, v) != 1 ||
        listed(program.inputs, v) > 0)
      continue;
    if (gemvAt(op) != nullptr) edges.output[i] = op;
  }
  return edges;
}

}  // namespace trtfarm::cuda
