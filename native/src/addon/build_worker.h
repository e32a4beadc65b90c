// build(network, options, onProgress, { signal }): validation, compilation and tuning off the JS
// thread; progress reaches JS through a thread-safe function, and the AbortSignal sets the
// build's cancel flag, which the builder checks between steps.
#pragma once

#include <memory>

#include "core/backend.h"
#include "core/cancel.h"
#include "core/network.h"
#include "core/plan.h"
#include "promise_worker.h"

namespace trtfarm::addon {

class BuildWorker : public PromiseWorker {
 public:
  // `earlierPlan` (may be empty) gives its tactics to this build; `onProgress` may be empty;
  // `signal` is an AbortSignal that has not fired, or undefined.
  BuildWorker(Napi::Env env, NetworkSpec network, BuildConfig config, std::vector<uint8_t> earlierPlan,
              const Napi::Value& onProgress, const Napi::Value& signal);

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
  // Shared with the abort listener, which may outlive the worker until the signal is collected.
  std::shared_ptr<CancelFlag> cancel_ = std::make_shared<CancelFlag>();
  Napi::ObjectReference signal_;
  Napi::FunctionReference onAbort_;
  Plan plan_;
  std::vector<uint8_t> bytes_;
  std::string tactics_;
  std::optional<TimingCacheResult> timingCache_;
  double buildMs_ = 0;
};

}  // namespace trtfarm::addon
