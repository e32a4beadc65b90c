// Where each intermediate value lives inside one arena for a given batch: a value's buffer is
// reused once its last reader has run, so a deep MLP needs about two layers' worth of memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/program.h"

namespace trtfarm::cpu {

class BufferPlan {
 public:
  static constexpr size_t kNone = SIZE_MAX;

  // root[v]: the value whose memory v uses (itself, or the source of an Alias chain).
  BufferPlan(const Program& program, const std::vector<int32_t>& root, int64_t batch);

  // Offset in floats of the root value v's buffer, or kNone for inputs and constants.
  size_t offset(int32_t value) const { return offset_[value]; }
  size_t arenaFloats() const { return arenaFloats_; }

 private:
  std::vector<size_t> offset_;
  size_t arenaFloats_ = 0;
};

}  // namespace trtfarm::cpu
