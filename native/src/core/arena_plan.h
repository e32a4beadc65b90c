// Where each computed value of a program lives inside one activation arena, for one batch: a
// value's slot is reused once its last reader has run, so a deep MLP needs two activation
// buffers, not one per layer. Aliases (reshapes) share their source's storage; constants live
// with the weights. The cpu and cuda engines lay out their arenas with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "program.h"

namespace trtfarm {

struct ArenaLayout {
  size_t elementBytes = sizeof(float);
  size_t alignment = 64;       // of every slot's offset and size, in bytes
  bool inputsInArena = false;  // the network's inputs get slots too, live for the whole run
};

struct ArenaPlan {
  static constexpr int64_t kNone = -1;
  std::vector<int32_t> root;    // per value: the value whose storage it uses (itself unless an alias)
  std::vector<int64_t> offset;  // per value: byte offset of its root's slot, or kNone (constants, inputs outside)
  int64_t bytes = 0;
};

// `program` passed the plan check (or is the builder's). Outputs stay alive to the end of the
// run, and an op's output never shares a slot with its inputs. Sized for `batch`: a smaller
// batch can use a prefix of each slot.
ArenaPlan planArena(const Program& program, int64_t batch, const ArenaLayout& layout);

}  // namespace trtfarm
