// A loaded cuda plan: weights uploaded once, one activation arena planned once, one stream, and
// the whole network (edge conversions, every op) captured as a CUDA graph per batch size on first
// use and replayed after that. run() is serialized by a mutex: the arena is shared by all runs.
#pragma once

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "../core/backend.h"
#include "cuda_buffer.h"
#include "lt_matmul.h"
#include "memory_plan.h"
#include "tactics.h"

namespace trtfarm::cuda {

class CudaEngine : public Engine {
 public:
  CudaEngine(int device, const Plan& plan);
  ~CudaEngine() override;

  void run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) override;

  // The native benchmark's measurement: device time in ms of each of `reps` graph replays at
  // `batch` (on whatever inputs the last run() left on the device), after a few warm-up replays.
  std::vector<float> timeReplays(int64_t batch, int reps);

 private:
  struct Graph {
    cudaGraphExec_t exec = nullptr;
    std::vector<std::unique_ptr<LtMatmul>> matmuls;  // descriptors the captured matmuls were made from
    uint64_t lastUse = 0;
  };

  // fp8 builds: the scratch of their fp8 products and the fp16 copies their tactics need.
  void prepareFp8();
  void checkBatch(int64_t batch) const;
  Graph& graphFor(int64_t batch);
  void enqueue(int64_t batch, Graph& graph);
  // x and y: where a GEMV reads its input and writes its output as fp32 instead of converting
  // at the network's edge (nullptr: the op's own values).
  void enqueueGemm(int32_t opIndex, int64_t batch, Graph& graph, const void* edgeX, void* edgeY);
  // The tactic of Gemm op `opIndex` at `batch` when it runs as GEMV there, else nullptr.
  const Tactic* gemvTactic(int32_t opIndex, int64_t batch) const;
  void enqueueMatMul(const Op& op, int64_t batch, Graph& graph);
  void enqueueBinary(const Op& op, int64_t batch);
  // The algorithm for `matmul`: the stored one when it still applies to this shape, else cuBLASLt's first choice.
  cublasLtMatmulAlgo_t algorithmFor(const LtMatmul& matmul, const Tactic* tactic) const;
  void* pointer(int32_t value) const;
  void* edgeInput(size_t i) const;
  void* edgeOutput(size_t i) const;

  int device_;
  Precision precision_;
  DType type_;
  BatchRange batch_;
  Program program_;  // without weight bytes: they live in weights_
  TacticTable tactics_;
  MemoryPlan memory_;
  std::vector<int> readers_;              // per value: how many op inputs name it
  std::vector<int32_t> reader_, writer_;  // per value: an op reading it, the op writing it (-1: none)
  cudaStream_t stream_ = nullptr;
  cublasLtHandle_t lt_ = nullptr;
  std::vector<DeviceBuffer> weights_;
  DeviceBuffer arena_, workspace_;
  DeviceBuffer fp8Scratch_;  // fp8 builds: quantized activations and fp16 products (fp8_gemm.h)
  // fp8 builds: per weight, its fp16 dequantization for the cuBLASLt batches where the tuner
  // found no fp8 kernel that runs (empty elsewhere).
  std::vector<DeviceBuffer> dequantized_;
  std::vector<DeviceBuffer> edgeInputs_, edgeOutputs_;  // fp32 copies for 16-bit builds
  std::vector<PinnedBuffer> stagedInputs_, stagedOutputs_;
  std::map<int64_t, Graph> graphs_;
  uint64_t uses_ = 0;
  std::mutex mutex_;
};

}  // namespace trtfarm::cuda
