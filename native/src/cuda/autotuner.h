// Build-time timing of FC tactics on the device, the way TensorRT picks kernels: every cuBLASLt
// candidate its heuristic offers plus the GEMV variants, each on the op's real weights and random
// activations (zeros would run faster than real data). Each timed run is two consecutive layers
// on two copies of the weights after the L2 was evicted: in the network each layer's weights
// come from memory, and a kernel's cost includes how it follows the previous one.
// TRTFARM_CUDA_TUNING_LOG=1 prints every candidate's time to stderr.
#pragma once

#include <cublasLt.h>

#include <functional>

#include "../core/cancel.h"
#include "../core/program.h"
#include "../gpu/device_buffer.h"
#include "tactics.h"

namespace trtfarm::cuda {

class Autotuner {
 public:
  // `cancel` (may be null) is checked before each candidate is timed.
  Autotuner(cublasLtHandle_t lt, cudaStream_t stream, Precision precision, const CancelFlag* cancel);
  // The fastest tactic for Gemm op `opIndex` of `program` at `rows` rows.
  Tactic tune(const Program& program, int32_t opIndex, int64_t rows);

 private:
  // Median device time in microseconds of one layer: `layer` run on w_ then on w2_, halved.
  float time(const std::function<void(const void* w, void* y)>& layer);
  void uploadWeights(const Program& program, const Op& op);

  cublasLtHandle_t lt_;
  cudaStream_t stream_;
  Precision precision_;
  const CancelFlag* cancel_;
  DType type_;
  bool log_;
  gpu::DeviceBuffer flush_, sink_, workspace_, x_, y_, y2_, w_, w2_, bias_;
  gpu::DeviceBuffer scratch_;                        // fp8 builds' (fp8_gemm.h)
  gpu::DeviceBuffer dequantized_, dequantized2_;     // fp8 builds: w_ and w2_ in fp16 (LtDequantized)
  int32_t weightsOf_ = -1;  // the op whose weights w_, w2_ and bias_ hold
};

}  // namespace trtfarm::cuda
