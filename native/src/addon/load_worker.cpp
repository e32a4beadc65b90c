#include "load_worker.h"

#include "engine_wrap.h"
#include "plan_info.h"

namespace trtfarm::addon {

LoadWorker::LoadWorker(Napi::Env env, std::vector<uint8_t> bytes, int device, const Napi::Function& engineClass)
    : PromiseWorker(env), bytes_(std::move(bytes)), device_(device), engineClass_(Napi::Persistent(engineClass)) {}

void LoadWorker::Run() {
  loaded_ = loadPlan(bytes_.data(), bytes_.size(), device_);
  tactics_ = loaded_->backend->describeTactics(loaded_->plan.tactics);
}

Napi::Value LoadWorker::Resolve(Napi::Env env) {
  const Napi::Object info = planInfoToJs(env, loaded_->plan, bytes_.size(), tactics_);
  return EngineWrap::Create(engineClass_.Value(), std::move(loaded_), info);
}

}  // namespace trtfarm::addon
