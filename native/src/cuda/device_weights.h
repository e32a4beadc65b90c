// A cuda plan's weights on the device: uploaded once at load and shared by every execution
// context. fp8 builds also get the fp16 dequantization of the e4m3 weights of each product that
// some batch bucket runs in cuBLASLt at fp16 (neither GEMV nor the fp8 product).
#pragma once

#include <cstdint>
#include <vector>

#include "../core/program.h"
#include "../gpu/device_buffer.h"
#include "tactics.h"

namespace trtfarm::cuda {

class DeviceWeights {
 public:
  // On `device`; synchronizes before it returns.
  DeviceWeights(int device, const Program& program, const TacticTable& tactics, int64_t maxBatch);

  void* weight(int32_t index) const { return weights_[index].get(); }
  // nullptr where none was made.
  void* dequantized(int32_t index) const { return dequantized_[index].get(); }

 private:
  std::vector<gpu::DeviceBuffer> weights_;
  std::vector<gpu::DeviceBuffer> dequantized_;
};

}  // namespace trtfarm::cuda
