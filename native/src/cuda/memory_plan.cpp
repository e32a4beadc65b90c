#include "memory_plan.h"

#include <algorithm>

#include "../core/error.h"
#include "shapes.h"

namespace trtfarm::cuda {
namespace {

constexpr int64_t kAlignment = 256;  // cuBLASLt's and the 16-byte vector loads' alignment, with room

struct Slot {
  int64_t bytes = 0;
  bool busy = false;
};

// Best fit among free slots; else grow the largest free one; else a new slot.
size_t takeSlot(std::vector<Slot>& slots, int64_t bytes) {
  size_t best = slots.size(), largest = slots.size();
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].busy) continue;
    if (slots[i].bytes >= bytes && (best == slots.size() || slots[i].bytes < slots[best].bytes)) best = i;
    if (largest == slots.size() || slots[i].bytes > slots[largest].bytes) largest = i;
  }
  size_t chosen = best != slots.size() ? best : largest;
  if (chosen == slots.size()) {
    slots.push_back({});
    chosen = slots.size() - 1;
  }
  slots[chosen].bytes = std::max(slots[chosen].bytes, bytes);
  slots[chosen].busy = true;
  return chosen;
}

}  // namespace

MemoryPlan planMemory(const Program& program, int64_t maxBatch, size_t elementBytes) {
  const size_t nValues = program.values.size();
  MemoryPlan plan;
  plan.root.resize(nValues);
  for (size_t v = 0; v < nValues; ++v) plan.root[v] = static_cast<int32_t>(v);
  for (const Op& op : program.ops)
    if (op.kind == Op::Kind::Alias) plan.root[op.output] = plan.root[op.inputs.at(0)];

  // Live range of each root: [first op writing it, last op reading it]. Inputs and outputs span
  // the whole run, so that replaying the graph recomputes the same outputs from the inputs the
  // last copy left (fp32 builds copy inputs straight into their slots). An op's output slot is
  // taken before its inputs are released, so an op never writes over what it reads.
  const int64_t end = static_cast<int64_t>(program.ops.size());
  std::vector<int64_t> first(nValues, end + 1), last(nValues, -1), bytes(nValues, 0);
  for (int32_t v : program.inputs) first[plan.root[v]] = -1;
  for (size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    const int32_t out = plan.root[op.output];
    first[out] = std::min<int64_t>(first[out], i);
    for (int32_t in : op.inputs) last[plan.root[in]] = std::max<int64_t>(last[plan.root[in]], i);
  }
  for (int32_t v : program.inputs) last[plan.root[v]] = end;
  for (int32_t v : program.outputs) last[plan.root[v]] = end;
  for (size_t v = 0; v < nValues; ++v) {
    const int64_t size = elementsAt(program.values[v].shape, maxBatch) * static_cast<int64_t>(elementBytes);
    int32_t r = plan.root[v];
    bytes[r] = std::max(bytes[r], (size + kAlignment - 1) / kAlignment * kAlignment);
  }

  std::vector<Slot> slots;
  std::vector<int64_t> slotOf(nValues, -1);
  auto isStored = [&](int32_t r) { return program.values[r].constant < 0 && first[r] <= end; };
  for (int64_t step = -1; step < end; ++step) {
    for (size_t r = 0; r < nValues; ++r)
      if (plan.root[r] == static_cast<int32_t>(r) && isStored(r) && first[r] == step)
        slotOf[r] = takeSlot(slots, bytes[r]);
    for (size_t r = 0; r < nValues; ++r)
      if (slotOf[r] >= 0 && std::max<int64_t>({last[r], first[r], 0}) == step) slots[slotOf[r]].busy = false;
  }

  std::vector<int64_t> slotOffset(slots.size(), 0);
  for (size_t s = 0; s < slots.size(); ++s) {
    slotOffset[s] = plan.arenaBytes;
    plan.arenaBytes += slots[s].bytes;
  }
  plan.offset.assign(nValues, -1);
  for (size_t v = 0; v < nValues; ++v) {
    const int32_t r = plan.root[v];
    if (program.values[r].constant >= 0) continue;
    if (slotOf[r] < 0) throw Error(ErrorCode::Plan, "value '" + program.values[v].name + "' is never computed");
    plan.offset[v] = slotOffset[slotOf[r]];
  }
  return plan;
}

}  // namespace trtfarm::cuda
