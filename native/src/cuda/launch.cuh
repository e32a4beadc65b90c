// Programmatic dependent launch (sm_90): a kernel launched this way may start while the kernel
// before it in the stream is still running. Each such kernel does only dependency-free work
// (prefetching its weights) before waitForPrecedingGrid(), then lets its own successor launch:
// at most two kernels overlap, and the gap between layers is filled with weight traffic.
#pragma once

#include <cuda_runtime.h>

#include "../gpu/check.h"

namespace trtfarm::cuda {

__device__ __forceinline__ void waitForPrecedingGrid() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

__device__ __forceinline__ void allowDependentLaunch() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

// Waits for the preceding kernel, then lets the next one launch: the start of every kernel
// launched with launchDependent that has nothing to prefetch.
__device__ __forceinline__ void enterDependentGrid() {
  waitForPrecedingGrid();
  allowDependentLaunch();
}

template <typename... Params, typename... Args>
void launchDependent(const char* what, void (*kernel)(Params...), dim3 grid, dim3 block, size_t sharedBytes,
                     cudaStream_t stream, Args... args) {
  cudaLaunchConfig_t config{};
  config.gridDim = grid;
  config.blockDim = block;
  config.dynamicSmemBytes = sharedBytes;
  config.stream = stream;
  cudaLaunchAttribute attribute{};
  attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute.val.programmaticStreamSerializationAllowed = 1;
  config.attrs = &attribute;
  config.numAttrs = 1;
  gpu::check(cudaLaunchKernelEx(&config, kernel, static_cast<Params>(args)...), what);
}

}  // namespace trtfarm::cuda
