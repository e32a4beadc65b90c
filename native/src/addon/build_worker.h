// build(network, options, onProgress): validation, compilation and tuning off the JS thread;
// progress reaches JS through a thread-safe function.
#pragma once

#include "core/network.h"
#include "core/plan.h"
#include "promise_worker.h"

namespace trtfarm::addon {

class BuildWorker : public PromiseWorker {
 public:
  // `earlierPlan` (may be empty) gives its tactics to this build; `onProgress` may be empty.
  BuildWorker(Napi::Env env, NetworkSpec network, BuildConfig config, std::vector<uint8_t> earlierPlan,
              const Napi::Value& onProgress);

 protected:
  void Run() override;
  Napi::Value Resolve(Napi::Env env) override;
  void Finish() override;

 private:
  NetworkSpec network_;
  BuildConfig config_;
  std::vector<uint8_t> earlierPlan_;
  Napi::ThreadSafeFunction progress_;
  bool hasProgress_ = false;
  Plan plan_;
  std::vector<uint8_t> bytes_;
  std::string tactics_;
  double buildMs_ = 0;
};

}  // namespace trtfarm::addon
