#include "exec_context.h"

namespace trtfarm::cuda {

ExecContext::ExecContext(int device, const ContextSizes& sizes) {
  check(cudaSetDevice(device), "cudaSetDevice");
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
  const cublasStatus_t created = cublasLtCreate(&lt);
  if (created != CUBLAS_STATUS_SUCCESS) {
    cudaStreamDestroy(stream);
    check(created, "cublasLtCreate");
  }
  // From here the buffers own their memory; a throw destroys them, and ~ExecContext is not run.
  try {
    arena = DeviceBuffer(sizes.arenaBytes);
    workspace = DeviceBuffer(sizes.workspaceBytes);
    fp8Scratch = DeviceBuffer(sizes.fp8ScratchBytes);
    for (size_t bytes : sizes.inputBytes) {
      if (sizes.edgeBuffers) edgeInputs.emplace_back(bytes);
      if (sizes.staging) stagedInputs.emplace_back(bytes);
    }
    for (size_t bytes : sizes.outputBytes) {
      if (sizes.edgeBuffers) edgeOutputs.emplace_back(bytes);
      if (sizes.staging) stagedOutputs.emplace_back(bytes);
    }
  } catch (...) {
    cublasLtDestroy(lt);
    cudaStreamDestroy(stream);
    throw;
  }
}

ExecContext::~ExecContext() {
  for (auto& [batch, graph] : graphs) cudaGraphExecDestroy(graph.exec);
  for (cudaEvent_t e : events_) cudaEventDestroy(e);
  cublasLtDestroy(lt);
  cudaStreamDestroy(stream);
}

cudaEvent_t ExecContext::event(size_t index) {
  while (events_.size() <= index) {
    cudaEvent_t e = nullptr;
    check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreate");
    events_.push_back(e);
  }
  return events_[index];
}

}  // namespace trtfarm::cuda
