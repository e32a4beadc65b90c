// Numpy broadcasting: how an operand's elements are reached from the broadcast output's index.
#pragma once

#include <cstddef>
#include <vector>

#include "core/program.h"

namespace trtfarm::cpu {

// Element strides of `shape` seen through the right-aligned broadcast to rank `rank`: 0 where a
// dim is broadcast or missing.
inline std::vector<size_t> broadcastStrides(const Dims& shape, size_t rank) {
  std::vector<size_t> strides(rank, 0);
  size_t stride = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    const size_t dim = shape.size() - 1 - i;
    if (shape[dim] != 1) strides[rank - 1 - i] = stride;
    stride *= static_cast<size_t>(shape[dim]);
  }
  return strides;
}

}  // namespace trtfarm::cpu
