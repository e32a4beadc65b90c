#include "runtime.h"

#include "../core/error.h"

namespace trtfarm {

std::unique_ptr<LoadedPlan> loadPlan(const uint8_t* data, size_t size, int device) {
  auto loaded = std::make_unique<LoadedPlan>();
  loaded->plan = parsePlan(data, size);
  const Plan& plan = loaded->plan;
  const BackendStatus* status = nullptr;
  const std::vector<BackendStatus> statuses = listBackends();
  for (const BackendStatus& s : statuses)
    if (s.name == plan.backend) status = &s;
  if (!status) throw Error(ErrorCode::Compat, "the plan needs backend '" + plan.backend + "', which this build does not know");
  if (!status->available)
    throw Error(ErrorCode::Compat, "the plan needs backend '" + plan.backend + "', which is not available here: " + status->reason);
  loaded->backend = createBackend(plan.backend, device);
  const std::string here = loaded->backend->compatKey();
  if (!loaded->backend->runs(plan.compatKey))
    throw Error(ErrorCode::Compat, "the plan was built for '" + plan.compatKey + "' but this machine's " + plan.backend +
                                       " backend is '" + here + "'; rebuild the plan here");
  loaded->engine = loaded->backend->load(plan);
  return loaded;
}

}  // namespace trtfarm
