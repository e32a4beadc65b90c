// The serialized engine ("plan"): versioned, self-describing, checksummed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "program.h"

namespace trtfarm {

struct TensorDesc {
  std::string name;
  Dims shape;                    // dim 0 kDynamic for a dynamic batch
  std::vector<Dims> profile;     // inputs only, when dynamic: {min, opt, max}
};

struct Plan {
  uint32_t formatVersion = 0;    // set by the serializer
  std::string backend;           // "cpu", "cuda", "tensorrt"
  std::string backendVersion;
  std::string compatKey;         // what it runs on; a loader refuses a plan whose key differs from its own
  Precision precision = Precision::FP32;
  BatchRange batch;              // the profile's batch range (one batch symbol for the whole network)
  std::vector<TensorDesc> inputs, outputs;
  Program program;               // weights already in the build precision
  std::vector<uint8_t> tactics;  // backend-owned: autotuning choices, opaque to the core
};

std::vector<uint8_t> serializePlan(const Plan& plan);
// Strict and bounds-checked: throws Error{ErrorCode::Plan} naming the problem.
Plan parsePlan(const uint8_t* data, size_t size);

}  // namespace trtfarm
