#include "graph_cache.h"

#include <algorithm>

#include "../gpu/check.h"

namespace trtfarm::cuda {

ExecContext::Graph& graphFor(ExecContext& ctx, int64_t batch, const std::function<void(ExecContext::Graph&)>& enqueue) {
  auto found = ctx.graphs.find(batch);
  if (found != ctx.graphs.end()) {
    found->second.lastUse = ++ctx.uses;
    return found->second;
  }
  if (ctx.graphs.size() >= kMaxGraphs) {
    auto oldest = std::min_element(ctx.graphs.begin(), ctx.graphs.end(),
                                   [](const auto& x, const auto& y) { return x.second.lastUse < y.second.lastUse; });
    cudaGraphExecDestroy(oldest->second.exec);
    ctx.graphs.erase(oldest);
  }
  // One eager pass first: lazy module loading and cuBLASLt's first-call setup stay out of the capture.
  ExecContext::Graph graph;
  enqueue(graph);
  cudaGraph_t captured = nullptr;
  gpu::check(cudaStreamBeginCapture(ctx.stream.get(), cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
  try {
    enqueue(graph);
  } catch (...) {
    cudaStreamEndCapture(ctx.stream.get(), &captured);
    if (captured) cudaGraphDestroy(captured);
    cudaGetLastError();
    throw;
  }
  gpu::check(cudaStreamEndCapture(ctx.stream.get(), &captured), "cudaStreamEndCapture");
  const cudaError_t instantiated = cudaGraphInstantiate(&graph.exec, captured, 0);
  cudaGraphDestroy(captured);
  gpu::check(instantiated, "cudaGraphInstantiate");
  graph.lastUse = ++ctx.uses;
  return ctx.graphs.emplace(batch, std::move(graph)).first->second;
}

}  // namespace trtfarm::cuda
