#include "host_io.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "pinned_blocks.h"

namespace trtfarm::cuda {
namespace {

// Chunks of staged copies: at most 16 a tensor (one event each on the way out), none under
// 256 KiB, where a chunk's fixed cost would outweigh the overlap it buys.
constexpr size_t kMaxChunks = 16;
constexpr size_t kMinChunkBytes = 256u << 10;
constexpr long kMaxContexts = 64;
constexpr size_t kDefaultContexts = 4;

size_t chunkBytes(size_t bytes) { return std::max(kMinChunkBytes, (bytes + kMaxChunks - 1) / kMaxChunks); }

// Page-locked by someone (a registration in progress; the output blocks were asked about before).
bool registeredElsewhere(const void* host) {
  cudaPointerAttributes attributes{};
  if (cudaPointerGetAttributes(&attributes, host) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return attributes.type == cudaMemoryTypeHost;
}

}  // namespace

HostIo hostIoFromEnv() {
  const char* env = std::getenv("TRTFARM_CUDA_HOST_IO");
  const std::string mode = env ? env : "";
  if (mode.empty() || mode == "auto") return HostIo::Auto;
  if (mode == "staged") return HostIo::Staged;
  if (mode == "pageable") return HostIo::Pageable;
  if (mode == "registered") return HostIo::Registered;
  throw Error(ErrorCode::Backend, "TRTFARM_CUDA_HOST_IO must be auto, staged, pageable or registered, not '" + mode + "'");
}

size_t contextsFromEnv() {
  const char* env = std::getenv("TRTFARM_CUDA_CONTEXTS");
  if (env == nullptr || *env == '\0') return kDefaultContexts;
  char* end = nullptr;
  const long n = std::strtol(env, &end, 10);
  if (*end != '\0' || n < 1 || n > kMaxContexts)
    throw Error(ErrorCode::Backend, "TRTFARM_CUDA_CONTEXTS must be an integer from 1 to " +
                                        std::to_string(kMaxContexts) + ", not '" + env + "'");
  return static_cast<size_t>(n);
}

HostTransfer::~HostTransfer() {
  if (!finished_) cudaStreamSynchronize(context_.stream.get());
  release();
}

// Whether the copy may use `host` as it is (else it goes through the staging): always for
// pageable copies; in auto and registered modes when the array lies in a page-locked output block
// or could be registered for this call (registered mode, and large arrays in auto mode); small
// arrays in auto mode go to the driver as they are, unless another call has registered their
// pages (it would unregister them while the driver's DMA still reads them).
bool HostTransfer::direct(const void* host, size_t bytes) {
  if (mode_ == HostIo::Pageable) return true;
  if (mode_ == HostIo::Staged) return false;
  if (inPinnedBlock(host, bytes)) return true;
  if (mode_ == HostIo::Auto && bytes < kRegisterFromBytes) return !registeredElsewhere(host);
  void* p = const_cast<void*>(host);
  if (cudaHostRegister(p, bytes, cudaHostRegisterDefault) != cudaSuccess) {
    cudaGetLastError();  // not sticky: clear it, and stage this one
    return false;
  }
  registered_.push_back(p);
  return true;
}

void HostTransfer::toDevice(void* device, const void* host, size_t bytes, const gpu::PinnedBuffer* staging) {
  if (direct(host, bytes)) {
    gpu::check(cudaMemcpyAsync(device, host, bytes, cudaMemcpyHostToDevice, context_.stream.get()), "cudaMemcpyAsync(input)");
    return;
  }
  auto* staged = static_cast<uint8_t*>(staging->get());
  const size_t chunk = chunkBytes(bytes);
  for (size_t at = 0; at < bytes; at += chunk) {
    const size_t n = std::min(chunk, bytes - at);
    std::memcpy(staged + at, static_cast<const uint8_t*>(host) + at, n);
    gpu::check(cudaMemcpyAsync(static_cast<uint8_t*>(device) + at, staged + at, n, cudaMemcpyHostToDevice, context_.stream.get()),
               "cudaMemcpyAsync(input)");
  }
}

void HostTransfer::toHost(void* host, const void* device, size_t bytes, const gpu::PinnedBuffer* staging) {
  if (direct(host, bytes)) {
    gpu::check(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, context_.stream.get()), "cudaMemcpyAsync(output)");
    return;
  }
  auto* staged = static_cast<uint8_t*>(staging->get());
  const size_t chunk = chunkBytes(bytes);
  for (size_t at = 0; at < bytes; at += chunk) {
    // The chunk before this one gets an event to wait for; the last of the run needs none (finish()
    // waits for the whole stream), which spares small outputs an event.
    if (!staged_.empty()) {
      staged_.back().copied = context_.event(staged_.size() - 1);
      gpu::check(cudaEventRecord(staged_.back().copied, context_.stream.get()), "cudaEventRecord");
    }
    const size_t n = std::min(chunk, bytes - at);
    gpu::check(cudaMemcpyAsync(staged + at, static_cast<const uint8_t*>(device) + at, n, cudaMemcpyDeviceToHost,
                          context_.stream.get()),
               "cudaMemcpyAsync(output)");
    staged_.push_back({static_cast<uint8_t*>(host) + at, staged + at, n, nullptr});
  }
}

void HostTransfer::finish() {
  // Each chunk leaves the staging as soon as it has arrived, while later ones are on their way.
  for (const StagedOutput& out : staged_) {
    if (out.copied) gpu::check(cudaEventSynchronize(out.copied), "cudaEventSynchronize");
    else gpu::check(cudaStreamSynchronize(context_.stream.get()), "cudaStreamSynchronize");
    std::memcpy(out.host, out.staged, out.bytes);
  }
  gpu::check(cudaStreamSynchronize(context_.stream.get()), "cudaStreamSynchronize");
  finished_ = true;
  release();
}

void HostTransfer::release() {
  for (void* p : registered_) cudaHostUnregister(p);
  registered_.clear();
}

}  // namespace trtfarm::cuda
