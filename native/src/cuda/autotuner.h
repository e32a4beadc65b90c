// Build-time timing of FC tactics on the device, the way TensorRT picks kernels: every cuBLASLt
// candidate its heuristic offers plus the GEMV variants, each run on the op's real weights and
// random activations (zeros would run faster than real data), L2 evicted before each timed run
// (in the network each layer's weights arrive from memory, not from cache), median kept.
#pragma once

#include <cublasLt.h>

#include <functional>

#include "../core/program.h"
#include "device_buffer.h"
#include "tactics.h"

namespace trtfarm::cuda {

class Autotuner {
 public:
  Autotuner(cublasLtHandle_t lt, cudaStream_t stream, Precision precision);
  // The fastest tactic for Gemm op `opIndex` of `program` at `rows` rows.
  Tactic tune(const Program& program, int32_t opIndex, int64_t rows);

 private:
  // Median device time of `launch` in microseconds.
  float time(const std::function<void()>& launch);
  void uploadWeights(const Program& program, const Op& op);

  cublasLtHandle_t lt_;
  cudaStream_t stream_;
  Precision precision_;
  DType type_;
  DeviceBuffer flush_, sink_, workspace_, x_, y_, w_, bias_;
  int32_t weightsOf_ = -1;  // the op whose weights w_ and bias_ hold
};

}  // namespace trtfarm::cuda
