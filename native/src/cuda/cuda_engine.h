// A loaded cuda plan: weights uploaded once (device_weights.h) and shared by a pool of execution
// contexts (exec_context.h), each with its own stream, activation arena, staging and CUDA graphs
// (graph_cache.h). Concurrent run()s take different contexts, so their copies and kernels overlap.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "../core/arena_plan.h"
#include "../core/backend.h"
#include "context_pool.h"
#include "device_weights.h"
#include "edge_fusion.h"
#include "host_io.h"
#include "tactics.h"

namespace trtfarm::cuda {

class CudaEngine : public Engine {
 public:
  // `plan` passed the plan check. Contexts: TRTFARM_CUDA_CONTEXTS at most, made as concurrent
  // calls need them; host copies as TRTFARM_CUDA_HOST_IO says (host_io.h).
  CudaEngine(int device, const Plan& plan);
  ~CudaEngine() override;

  void run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) override;

  // Hands `use` the graph of `batch` (captured on the first call at that batch) and the stream of
  // the context it belongs to, which stays the caller's until `use` returns: the native benchmark
  // times replays with it (bench/gpu), on whatever inputs the last run() left on the device.
  void withGraph(int64_t batch, const std::function<void(cudaGraphExec_t graph, cudaStream_t stream)>& use);

 private:
  using Graph = ExecContext::Graph;

  std::unique_ptr<ExecContext> makeContext() const;
  void enqueue(ExecContext& ctx, int64_t batch, Graph& graph);
  // x and y: where a GEMV reads its input and writes its output as fp32 instead of converting
  // at the network's edge (nullptr: the op's own values).
  void enqueueGemm(ExecContext& ctx, int32_t opIndex, int64_t batch, Graph& graph, const void* edgeX, void* edgeY);
  // The tactic of Gemm op `opIndex` at `batch` when it runs as GEMV there, else nullptr.
  const Tactic* gemvTactic(int32_t opIndex, int64_t batch) const;
  void enqueueMatMul(ExecContext& ctx, const Op& op, int64_t batch, Graph& graph);
  void* pointer(const ExecContext& ctx, int32_t value) const;
  void* edgeInput(const ExecContext& ctx, size_t i) const;
  void* edgeOutput(const ExecContext& ctx, size_t i) const;

  int device_;
  Precision precision_;
  DType type_;
  BatchRange batch_;
  Program program_;  // without weight bytes: they live in weights_
  TacticTable tactics_;
  ArenaPlan arena_;
  ValueUses uses_;
  HostIo hostIo_;
  ContextSizes contextSizes_;
  DeviceWeights weights_;
  ContextPool contexts_;  // last: its graphs refer to the weights, so it goes first
};

}  // namespace trtfarm::cuda
