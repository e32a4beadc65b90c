// loadEngine(plan, {device}): parse, compatibility check and backend load off the JS thread.
#pragma once

#include <memory>

#include "registry/runtime.h"
#include "promise_worker.h"

namespace trtfarm::addon {

class LoadWorker : public PromiseWorker {
 public:
  LoadWorker(Napi::Env env, std::vector<uint8_t> bytes, int device, const Napi::Function& engineClass);

 protected:
  void Run() override;
  Napi::Value Resolve(Napi::Env env) override;

 private:
  std::vector<uint8_t> bytes_;
  int device_;
  Napi::FunctionReference engineClass_;
  std::shared_ptr<LoadedPlan> loaded_;
  std::string tactics_;
};

}  // namespace trtfarm::addon
