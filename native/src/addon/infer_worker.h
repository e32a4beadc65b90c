// One inference without copies of its tensors: the inputs are checked on the JS thread and read
// where they are, in the caller's arrays, which this worker keeps referenced until it settles;
// the output arrays are made on the JS thread before the work is queued and the engine writes
// into them. The caller must leave the input arrays unchanged until the promise settles.
#pragma once

#include <memory>
#include <vector>

#include "registry/runtime.h"
#include "promise_worker.h"

namespace trtfarm::addon {

class InferWorker : public PromiseWorker {
 public:
  // Throws Error{Input} for wrong names, counts or shapes (before anything is queued).
  InferWorker(Napi::Env env, std::shared_ptr<LoadedPlan> loaded, const Napi::Value& inputs);

 protected:
  void Run() override;
  Napi::Value Resolve(Napi::Env env) override;
  void Finish() override;

 private:
  std::shared_ptr<LoadedPlan> loaded_;  // alive until this settles, whatever dispose() does meanwhile
  int64_t batch_ = 1;
  // Plan input / output order. The references keep the arrays, and so the memory the pointers
  // point into, alive while the worker thread uses it.
  std::vector<Napi::Reference<Napi::Float32Array>> inputArrays_, outputArrays_;
  std::vector<const float*> inputs_;
  std::vector<float*> outputs_;
};

}  // namespace trtfarm::addon
