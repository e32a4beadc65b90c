// Device time of a cuda engine's CUDA graph, as PyTorch is timed: CUDA events around each replay.
#pragma once

#include <cstdint>
#include <vector>

#include "cuda/cuda_engine.h"

namespace trtfarm::bench {

// Milliseconds of each of `reps` replays of the graph of `batch` (on whatever inputs the last
// run() left on the device), after a few warm-up replays.
std::vector<float> timeReplays(cuda::CudaEngine& engine, int64_t batch, int reps);

}  // namespace trtfarm::bench
