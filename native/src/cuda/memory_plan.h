// Where each value of a program lives on the device. Activations share one arena: a value's
// slot is reused once its last reader ran, so a deep MLP needs two activation buffers, not one
// per layer. Aliases (reshapes) share their source's storage; constants live in weight buffers.
#pragma once

#include <cstdint>
#include <vector>

#include "../core/program.h"

namespace trtfarm::cuda {

struct MemoryPlan {
  std::vector<int32_t> root;    // per value: the value whose storage it uses (itself unless an alias)
  std::vector<int64_t> offset;  // per value: byte offset of its root in the arena; -1 for constants
  int64_t arenaBytes = 0;
};

// Sizes for `maxBatch`; smaller batches use a prefix of each slot.
MemoryPlan planMemory(const Program& program, int64_t maxBatch, size_t elementBytes);

}  // namespace trtfarm::cuda
