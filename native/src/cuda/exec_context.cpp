#include "exec_context.h"

namespace trtfarm::cuda {

ExecContext::ExecContext(int device, const ContextSizes& sizes) {
  gpu::check(cudaSetDevice(device), "cudaSetDevice");
  // Members own what they hold: a throw from here destroys those made so far (~ExecContext is not run).
  stream = gpu::newStream();
  lt = gpu::newLtHandle();
  arena = gpu::DeviceBuffer(sizes.arenaBytes);
  workspace = gpu::DeviceBuffer(sizes.workspaceBytes);
  fp8Scratch = gpu::DeviceBuffer(sizes.fp8ScratchBytes);
  for (size_t bytes : sizes.inputBytes) {
    if (sizes.edgeBuffers) edgeInputs.emplace_back(bytes);
    if (sizes.staging) stagedInputs.emplace_back(bytes);
  }
  for (size_t bytes : sizes.outputBytes) {
    if (sizes.edgeBuffers) edgeOutputs.emplace_back(bytes);
    if (sizes.staging) stagedOutputs.emplace_back(bytes);
  }
}

ExecContext::~ExecContext() {
  for (auto& [batch, graph] : graphs) cudaGraphExecDestroy(graph.exec);
}

cudaEvent_t ExecContext::event(size_t index) {
  while (events_.size() <= index) events_.push_back(gpu::newEvent(cudaEventDisableTiming));
  return events_[index].get();
}

}  // namespace trtfarm::cuda
