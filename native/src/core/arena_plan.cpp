#include "arena_plan.h"

#include <algorithm>

#include "shapes.h"

namespace trtfarm {

namespace {

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

ArenaPlan planArena(const Program& program, int64_t batch, const ArenaLayout& layout) {
  const size_t nValues = program.values.size();
  ArenaPlan plan;
  plan.root.resize(nValues);
  for (size_t v = 0; v < nValues; ++v) plan.root[v] = static_cast<int32_t>(v);
  for (const Op& op : program.ops)
    if (op.kind == Op::Kind::Alias) plan.root[op.output] = plan.root[op.inputs.at(0)];

  // Live range of each stored root, in steps: -1 before the first op, then one per op, and
  // `end` after the last. A root's slot is taken at its first step and given back after its
  // last, so that an op never writes over what it reads.
  const int64_t end = static_cast<int64_t>(program.ops.size());
  constexpr int64_t kNever = -2;
  std::vector<int64_t> first(nValues, kNever), last(nValues, -1);
  if (layout.inputsInArena)
    for (int32_t v : program.inputs) first[plan.root[v]] = -1;
  for (size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    if (op.kind != Op::Kind::Alias && first[op.output] == kNever) first[op.output] = static_cast<int64_t>(i);
    for (int32_t in : op.inputs) last[plan.root[in]] = std::max<int64_t>(last[plan.root[in]], i);
  }
  // Inputs and outputs span the whole run: a replayed CUDA graph recomputes the same outputs
  // from the inputs the last copy left.
  if (layout.inputsInArena)
    for (int32_t v : program.inputs) last[plan.root[v]] = end;
  for (int32_t v : program.outputs) last[plan.root[v]] = end;

  const auto align = [&](int64_t bytes) {
    const int64_t a = static_cast<int64_t>(layout.alignment);
    return (bytes + a - 1) / a * a;
  };
  std::vector<int64_t> bytes(nValues, 0);
  for (size_t v = 0; v < nValues; ++v) {
    const int32_t r = plan.root[v];
    const int64_t size = elementsAt(program.values[v].shape, batch) * static_cast<int64_t>(layout.elementBytes);
    bytes[r] = std::max(bytes[r], align(size));
  }

  // Which roots take a slot and give it back at each step (index step + 1).
  std::vector<std::vector<int32_t>> takes(end + 2), gives(end + 2);
  for (size_t r = 0; r < nValues; ++r) {
    if (plan.root[r] != static_cast<int32_t>(r) || first[r] == kNever || program.values[r].constant >= 0) continue;
    takes[first[r] + 1].push_back(static_cast<int32_t>(r));
    gives[std::max(last[r], first[r]) + 1].push_back(static_cast<int32_t>(r));
  }
  std::vector<Slot> slots;
  std::vector<int64_t> slotOf(nValues, -1);
  for (int64_t step = 0; step < end + 2; ++step) {
    for (int32_t r : takes[step]) slotOf[r] = static_cast<int64_t>(takeSlot(slots, bytes[r]));
    for (int32_t r : gives[step]) slots[slotOf[r]].busy = false;
  }

  std::vector<int64_t> slotOffset(slots.size(), 0);
  for (size_t s = 0; s < slots.size(); ++s) {
    slotOffset[s] = plan.bytes;
    plan.bytes += slots[s].bytes;
  }
  plan.offset.assign(nValues, ArenaPlan::kNone);
  for (size_t v = 0; v < nValues; ++v)
    if (slotOf[plan.root[v]] >= 0) plan.offset[v] = slotOffset[slotOf[plan.root[v]]];
  return plan;
}

}  // namespace trtfarm
