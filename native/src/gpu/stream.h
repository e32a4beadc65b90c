// Owned CUDA streams and events.
#pragma once

#include <cuda_runtime_api.h>

#include "check.h"
#include "owned.h"

namespace trtfarm::gpu {

using Stream = Owned<cudaStream_t, cudaStreamDestroy>;
using Event = Owned<cudaEvent_t, cudaEventDestroy>;

// Non-blocking: its work never waits on what the process puts on the legacy default stream.
inline Stream newStream() {
  cudaStream_t stream = nullptr;
  check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate");
  return Stream(stream);
}

// `flags`: cudaEventDefault for timing, cudaEventDisableTiming for ordering only (cheaper).
inline Event newEvent(unsigned flags) {
  cudaEvent_t event = nullptr;
  check(cudaEventCreateWithFlags(&event, flags), "cudaEventCreate");
  return Event(event);
}

}  // namespace trtfarm::gpu
