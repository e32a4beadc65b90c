// Shapes at a run's batch: kDynamic in dimension 0 becomes the batch.
#pragma once

#include "../core/program.h"

namespace trtfarm::cuda {

inline Dims shapeAt(const Dims& shape, int64_t batch) {
  Dims out = shape;
  if (!out.empty() && out[0] == kDynamic) out[0] = batch;
  return out;
}

inline int64_t elementsAt(const Dims& shape, int64_t batch) {
  int64_t count = 1;
  for (int64_t d : shapeAt(shape, batch)) count *= d;
  return count;
}

}  // namespace trtfarm::cuda
