#include "load_worker.h"

#include "engine_wrap.h"
#include "plan_info.h"

namespace trtfarm::addon {

LoadWorker::LoadWorker(Napi::Env env, const Napi::Uint8Array& plan, int device, const Napi::Function& engineClass)
    : PromiseWorker(env),
      planRef_(Napi::Persistent(plan)),
      data_(plan.Data()),
      size_(plan.ElementLength()),
      device_(device),
      engineClass_(Napi::Persistent(engineClass)) {}

void LoadWorker::Run() {
  loaded_ = loadPlan(data_, size_, device_);
  tactics_ = loaded_->backend->describeTactics(loaded_->plan.tactics);
}

Napi::Value LoadWorker::Resolve(Napi::Env env) {
  const Napi::Object info = planInfoToJs(env, loaded_->plan, size_, tactics_);
  return EngineWrap::Create(engineClass_.Value(), std::move(loaded_), info);
}

void LoadWorker::Finish() { planRef_.Reset(); }

}  // namespace trtfarm::addon
