// tensorrtEngine(plan): the bare TensorRT engine of a tensorrt plan, parsed and copied out off
// the JS thread (a plan may be hundreds of megabytes). Needs no TensorRT.
#pragma once

#include <cstdint>
#include <vector>

#include "promise_worker.h"

namespace trtfarm::addon {

class TensorrtEngineWorker : public PromiseWorker {
 public:
  TensorrtEngineWorker(Napi::Env env, std::vector<uint8_t> plan);

 protected:
  void Run() override;
  Napi::Value Resolve(Napi::Env env) override;

 private:
  std::vector<uint8_t> plan_;
  std::vector<uint8_t> engine_;
};

}  // namespace trtfarm::addon
