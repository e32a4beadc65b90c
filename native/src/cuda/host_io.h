// How a run's fp32 tensors cross between the caller's host arrays and the device. The caller's
// arrays are used where they are; `HostIo` says how (TRTFARM_CUDA_HOST_IO, measured by
// bench/gpu/host.sh). In auto and registered modes an array inside a page-locked output block
// (pinned_blocks.h: the addon's output arrays) is copied by DMA as it is.
//   auto        (default) other arrays of kRegisterFromBytes or more registered for the call, smaller
//               ones handed to the driver as they are (it stages), the staging for what cannot be
//               either (pages another call has registered): on the H200 (bench/gpu/results-host.md,
//               2026-12-01 22:5x UTC, fp16 and fp32 plans) the driver's copies beat this backend's
//               staging at every size up to 16 MiB a tensor (0.81-0.84x PyTorch at batch 64-256
//               against 1.14-1.19x), and registering won at 64 MiB (by 16%), lost at 16 MiB (by 11%);
//   staged      one copy through the context's pinned staging, in chunks, so that the host copy of
//               one chunk overlaps the DMA of the one before;
//   pageable    cudaMemcpyAsync straight from/to the caller's (pageable) memory: the driver stages;
//   registered  cudaHostRegister of the caller's arrays for the call, DMA with no host copy; an
//               array whose pages another call has registered goes through the staging instead.
#pragma once

#include <cstddef>
#include <vector>

#include "exec_context.h"

namespace trtfarm::cuda {

enum class HostIo { Auto, Staged, Pageable, Registered };

constexpr size_t kRegisterFromBytes = 32u << 20;

// TRTFARM_CUDA_HOST_IO; throws Error{Backend} for an unknown value.
HostIo hostIoFromEnv();
// TRTFARM_CUDA_CONTEXTS: execution contexts per engine, 1-64, default 4 (libuv's default number
// of threads, which is how many infer() calls of one process run at once); throws Error{Backend}.
size_t contextsFromEnv();

// The copies of one run on one context, in stream order. finish() waits for the stream and
// completes the outputs; destruction without finish() (a run that threw) still waits for the
// stream before it lets the caller's arrays and the staging go.
class HostTransfer {
 public:
  HostTransfer(HostIo mode, ExecContext& context) : mode_(mode), context_(context) {}
  ~HostTransfer();
  HostTransfer(const HostTransfer&) = delete;
  HostTransfer& operator=(const HostTransfer&) = delete;

  // `staging`: the context's pinned buffer for this tensor (nullptr in pageable mode).
  void toDevice(void* device, const void* host, size_t bytes, const gpu::PinnedBuffer* staging);
  void toHost(void* host, const void* device, size_t bytes, const gpu::PinnedBuffer* staging);
  void finish();

 private:
  struct StagedOutput {
    void* host;
    const void* staged;
    size_t bytes;
    cudaEvent_t copied;  // recorded after this chunk's copy; nullptr for the last chunk
  };

  bool direct(const void* host, size_t bytes);
  void release();

  const HostIo mode_;
  ExecContext& context_;
  std::vector<void*> registered_;
  std::vector<StagedOutput> staged_;
  bool finished_ = false;
};

}  // namespace trtfarm::cuda
