// A loaded cuda plan: weights uploaded once and shared by a pool of execution contexts
// (exec_context.h), each with its own stream, activation arena, staging and CUDA graphs (the whole
// network, edge conversions and every op, captured per batch size on first use and replayed after
// that). Concurrent run()s take different contexts, so their copies and kernels overlap.
#pragma once

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "../core/backend.h"
#include "context_pool.h"
#include "../gpu/device_buffer.h"
#include "host_io.h"
#include "lt_matmul.h"
#include "memory_plan.h"
#include "tactics.h"

namespace trtfarm::cuda {

class CudaEngine : public Engine {
 public:
  // Contexts: TRTFARM_CUDA_CONTEXTS at most, made as concurrent calls need them; host copies as
  // TRTFARM_CUDA_HOST_IO says (host_io.h).
  CudaEngine(int device, const Plan& plan);
  ~CudaEngine() override;

  void run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) override;

  // The native benchmark's measurement: device time in ms of each of `reps` graph replays at
  // `batch` (on whatever inputs the last run() left on the device), after a few warm-up replays.
  std::vector<float> timeReplays(int64_t batch, int reps);

 private:
  using Graph = ExecContext::Graph;

  // fp8 builds: the scratch size of their fp8 products, and the fp16 copies their tactics need.
  void prepareFp8();
  std::unique_ptr<ExecContext> makeContext() const;
  void checkBatch(int64_t batch) const;
  Graph& graphFor(ExecContext& ctx, int64_t batch);
  void enqueue(ExecContext& ctx, int64_t batch, Graph& graph);
  // x and y: where a GEMV reads its input and writes its output as fp32 instead of converting
  // at the network's edge (nullptr: the op's own values).
  void enqueueGemm(ExecContext& ctx, int32_t opIndex, int64_t batch, Graph& graph, const void* edgeX, void* edgeY);
  // The tactic of Gemm op `opIndex` at `batch` when it runs as GEMV there, else nullptr.
  const Tactic* gemvTactic(int32_t opIndex, int64_t batch) const;
  void enqueueMatMul(ExecContext& ctx, const Op& op, int64_t batch, Graph& graph);
  void enqueueBinary(ExecContext& ctx, const Op& op, int64_t batch);
  // The algorithm for `matmul`: the stored one when it still applies to this shape, else cuBLASLt's first choice.
  cublasLtMatmulAlgo_t algorithmFor(const ExecContext& ctx, const LtMatmul& matmul, const Tactic* tactic) const;
  void* pointer(const ExecContext& ctx, int32_t value) const;
  void* edgeInput(const ExecContext& ctx, size_t i) const;
  void* edgeOutput(const ExecContext& ctx, size_t i) const;

  int device_;
  Precision precision_;
  DType type_;
  BatchRange batch_;
  Program program_;  // without weight bytes: they live in weights_
  TacticTable tactics_;
  MemoryPlan memory_;
  std::vector<int> readers_;              // per value: how many op inputs name it
  std::vector<int32_t> reader_, writer_;  // per value: an op reading it, the op writing it (-1: none)
  HostIo hostIo_;
  ContextSizes contextSizes_;
  std::vector<gpu::DeviceBuffer> weights_;
  // fp8 builds: per weight, its fp16 dequantization for the cuBLASLt batches where the tuner
  // found no fp8 kernel that runs (empty elsewhere).
  std::vector<gpu::DeviceBuffer> dequantized_;
  ContextPool contexts_;  // last: its graphs refer to the weights, so it goes first
};

}  // namespace trtfarm::cuda
