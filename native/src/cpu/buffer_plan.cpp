#include "buffer_plan.h"

#include <algorithm>

#include "dims.h"

namespace trtfarm::cpu {

namespace {

struct Block {
  size_t offset, floats;
};

// Cache-line multiples keep every buffer aligned for the vector loads.
size_t roundUp(size_t floats) { return (floats + 15) / 16 * 16; }

}  // namespace

BufferPlan::BufferPlan(const Program& program, const std::vector<int32_t>& root, int64_t batch)
    : offset_(program.values.size(), kNone) {
  const size_t ops = program.ops.size();
  // The last op that reads each root; network outputs stay alive to the end (the engine computes
  // most of them in the caller's buffers instead, leaving their blocks unused).
  std::vector<size_t> lastUse(program.values.size(), 0);
  for (size_t i = 0; i < ops; ++i)
    for (int32_t v : program.ops[i].inputs) lastUse[root[v]] = std::max(lastUse[root[v]], i);
  for (int32_t v : program.outputs) lastUse[root[v]] = ops;

  std::vector<Block> free;
  std::vector<size_t> blockFloats(program.values.size(), 0);
  for (size_t i = 0; i < ops; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != Op::Kind::Alias) {
      const size_t need = roundUp(elementCount(concreteShape(program.values[op.output].shape, batch)));
      // Best fit among released blocks, else grow the arena.
      auto best = free.end();
      for (auto it = free.begin(); it != free.end(); ++it)
        if (it->floats >= need && (best == free.end() || it->floats < best->floats)) best = it;
      if (best != free.end()) {
        offset_[op.output] = best->offset;
        blockFloats[op.output] = best->floats;
        free.erase(best);
      } else {
        offset_[op.output] = arenaFloats_;
        blockFloats[op.output] = need;
        arenaFloats_ += need;
      }
    }
    // Release after allocating, so that an op never writes over its own inputs.
    std::vector<int32_t> roots;
    for (int32_t v : op.inputs) roots.push_back(root[v]);
    std::sort(roots.begin(), roots.end());
    roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
    for (int32_t r : roots)
      if (offset_[r] != kNone && lastUse[r] == i) free.push_back({offset_[r], blockFloats[r]});
  }
}

}  // namespace trtfarm::cpu
