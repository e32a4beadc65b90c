// One inference: the inputs are checked and copied on the JS thread, run on a worker thread.
#pragma once

#include <memory>

#include "core/runtime.h"
#include "promise_worker.h"

namespace trtfarm::addon {

class InferWorker : public PromiseWorker {
 public:
  // Throws Error{Input} for wrong names, counts or shapes (before anything is queued).
  InferWorker(Napi::Env env, std::shared_ptr<LoadedPlan> loaded, const Napi::Value& inputs);

 protected:
  void Run() override;
  Napi::Value Resolve(Napi::Env env) override;

 private:
  std::shared_ptr<LoadedPlan> loaded_;
  int64_t batch_ = 1;
  std::vector<std::vector<float>> inputs_;   // plan input order
  std::vector<std::vector<float>> outputs_;  // plan output order
};

}  // namespace trtfarm::addon
