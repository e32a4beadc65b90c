// PlanInfo and TensorInfo (shared/engine/types.ts) from a plan.
#pragma once

#include <napi.h>

#include "core/plan.h"

namespace trtfarm::addon {

Napi::Array tensorInfos(Napi::Env env, const std::vector<TensorDesc>& descs);
// `tacticsJson`: the backend's summary (Backend::describeTactics), empty when unknown.
Napi::Object planInfoToJs(Napi::Env env, const Plan& plan, size_t bytes, const std::string& tacticsJson);
// The summary when this machine has the plan's backend; empty otherwise (inspecting a plan
// does not need its backend).
std::string describeTacticsHere(const Plan& plan);

}  // namespace trtfarm::addon
