// loadEngine(plan, {device}): parse, compatibility check and backend load off the JS thread.
#pragma once

#include <memory>

#include "registry/runtime.h"
#include "promise_worker.h"

namespace trtfarm::addon {

class LoadWorker : public PromiseWorker {
 public:
  // `plan` is read in place on the worker thread (no copy of hundreds of MB on the JS thread),
  // held by a reference until the promise settles.
  LoadWorker(Napi::Env env, const Napi::Uint8Array& plan, int device, const Napi::Function& engineClass);

 protected:
  void Run() override;
  Napi::Value Resolve(Napi::Env env) override;
  void Finish() override;

 private:
  Napi::Reference<Napi::Uint8Array> planRef_;
  const uint8_t* data_;
  size_t size_;
  int device_;
  Napi::FunctionReference engineClass_;
  std::shared_ptr<LoadedPlan> loaded_;
  std::string tactics_;
};

}  // namespace trtfarm::addon
