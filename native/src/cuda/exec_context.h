// What one inference at a time needs of its own on the device: a stream, a cuBLASLt handle and
// workspace, the activation arena, fp32 edge buffers (16-bit plans), pinned staging for the host
// copies, and the CUDA graphs captured on this arena, one per batch size. An engine keeps a pool
// of these (ContextPool) over one copy of the weights, so concurrent calls overlap.
#pragma once

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "../gpu/cublaslt.h"
#include "../gpu/device_buffer.h"
#include "../gpu/stream.h"
#include "lt_matmul.h"

namespace trtfarm::cuda {

struct ContextSizes {
  size_t arenaBytes = 0, workspaceBytes = 0;
  size_t fp8ScratchBytes = 0;                   // fp8 builds: quantized activations and fp16 products (fp8_gemm.h)
  std::vector<size_t> inputBytes, outputBytes;  // fp32 bytes of each network input / output at the max batch
  bool edgeBuffers = false;                     // 16-bit plans: fp32 copies of the inputs and outputs on the device
  bool staging = false;                         // pinned host staging of each input and output
};

class ExecContext {
 public:
  struct Graph {
    cudaGraphExec_t exec = nullptr;
    std::vector<std::unique_ptr<LtMatmul>> matmuls;  // descriptors the captured matmuls were made from
    uint64_t lastUse = 0;
  };

  ExecContext(int device, const ContextSizes& sizes);
  ~ExecContext();
  ExecContext(const ExecContext&) = delete;
  ExecContext& operator=(const ExecContext&) = delete;

  // The index-th of this context's events (made on first use, reused by later runs).
  cudaEvent_t event(size_t index);

  // Declared first, destroyed last: after the graphs, events and memory used on them.
  gpu::Stream stream;
  gpu::LtHandle lt;
  gpu::DeviceBuffer arena, workspace, fp8Scratch;
  std::vector<gpu::DeviceBuffer> edgeInputs, edgeOutputs;  // empty for fp32 plans
  std::vector<gpu::PinnedBuffer> stagedInputs, stagedOutputs;  // empty without staging
  std::map<int64_t, Graph> graphs;
  uint64_t uses = 0;

 private:
  std::vector<gpu::Event> events_;
};

}  // namespace trtfarm::cuda
