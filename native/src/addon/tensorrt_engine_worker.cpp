#include "tensorrt_engine_worker.h"

#include "core/plan.h"
#include "tensorrt/tactics_blob.h"

namespace trtfarm::addon {

TensorrtEngineWorker::TensorrtEngineWorker(Napi::Env env, std::vector<uint8_t> plan)
    : PromiseWorker(env), plan_(std::move(plan)) {}

void TensorrtEngineWorker::Run() {
  engine_ = tensorrt::engineOf(parsePlan(plan_.data(), plan_.size()));
  plan_ = {};
}

Napi::Value TensorrtEngineWorker::Resolve(Napi::Env env) {
  return Napi::Buffer<uint8_t>::Copy(env, engine_.data(), engine_.size());
}

}  // namespace trtfarm::addon
