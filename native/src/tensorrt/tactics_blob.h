// What a tensorrt plan keeps in Plan::tactics: the serialized TensorRT engine, and the timing
// cache of its build so that a rebuild (BuildConfig::reuseTactics) picks the same kernels
// without timing them again.
#pragma once

#include <cstdint>
#include <vector>

#include "../core/plan.h"

namespace trtfarm::tensorrt {

struct TacticsBlob {
  std::vector<uint8_t> engine;       // IHostMemory of IBuilder::buildSerializedNetwork
  std::vector<uint8_t> timingCache;  // IHostMemory of ITimingCache::serialize
};

std::vector<uint8_t> packTactics(const TacticsBlob& blob);
// Bounds-checked: throws Error{ErrorCode::Plan} naming what is wrong.
TacticsBlob unpackTactics(const std::vector<uint8_t>& bytes);
// The bare TensorRT engine of a tensorrt plan (what Triton's tensorrt_plan platform loads).
// Throws Error{ErrorCode::Plan} for a plan of another backend.
std::vector<uint8_t> engineOf(const Plan& plan);

}  // namespace trtfarm::tensorrt
