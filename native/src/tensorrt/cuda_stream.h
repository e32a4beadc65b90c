// A non-blocking CUDA stream owned by one engine, so that its runs never wait on other
// work the process puts on the legacy default stream.
#pragma once

#include <cuda_runtime_api.h>

#include "cuda_check.h"

namespace trtfarm::tensorrt {

class CudaStream {
 public:
  CudaStream() { checkCuda(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate"); }
  ~CudaStream() { cudaStreamDestroy(stream_); }
  CudaStream(const CudaStream&) = delete;
  CudaStream& operator=(const CudaStream&) = delete;

  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

}  // namespace trtfarm::tensorrt
