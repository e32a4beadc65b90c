// Shapes at run time: the plan's dims with the run's batch in place of kDynamic.
#pragma once

#include <cstddef>

#include "core/program.h"

namespace trtfarm::cpu {

inline Dims concreteShape(const Dims& shape, int64_t batch) {
  Dims out = shape;
  if (!out.empty() && out[0] == kDynamic) out[0] = batch;
  return out;
}

inline size_t elementCount(const Dims& shape) {
  size_t count = 1;
  for (int64_t d : shape) count *= static_cast<size_t>(d);
  return count;
}

}  // namespace trtfarm::cpu
