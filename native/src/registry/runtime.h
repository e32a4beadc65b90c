// Load time: a plan's bytes → an engine on this machine. Lives beside the registry (it picks
// the backend the plan names), not in the backend-free core.
#pragma once

#include <memory>

#include "../core/backend.h"

namespace trtfarm {

struct LoadedPlan {
  Plan plan;
  std::unique_ptr<Backend> backend;  // outlives the engine it made (members destroy in reverse)
  std::unique_ptr<Engine> engine;
};

// Throws Error{Plan} for a malformed plan, Error{Compat} when this machine cannot run it.
std::unique_ptr<LoadedPlan> loadPlan(const uint8_t* data, size_t size, int device);

}  // namespace trtfarm
