#include "pinned_blocks.h"

#include <cuda_runtime.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>

#include "../core/host_memory.h"

namespace trtfarm::cuda {
namespace {

std::mutex blocksMutex;
// The device of the engine that installed the allocator: the JS thread that allocates output
// arrays would otherwise bind to (and create a context on) device 0.
std::atomic<int> blocksDevice{0};
std::map<uintptr_t, size_t>& blocks() {
  static auto* instance = new std::map<uintptr_t, size_t>();  // never destroyed: blocks outlive statics
  return *instance;
}

void* allocatePinned(size_t bytes) {
  void* p = nullptr;
  if (cudaSetDevice(blocksDevice.load()) != cudaSuccess || cudaHostAlloc(&p, bytes, cudaHostAllocPortable) != cudaSuccess) {
    cudaGetLastError();  // not sticky: the caller falls back to plain memory
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(blocksMutex);
  blocks().emplace(reinterpret_cast<uintptr_t>(p), bytes);
  return p;
}

void releasePinned(void* p) {
  {
    std::lock_guard<std::mutex> lock(blocksMutex);
    blocks().erase(reinterpret_cast<uintptr_t>(p));
  }
  cudaFreeHost(p);  // at exit the runtime may be gone already: nothing to do about an error then
  cudaGetLastError();
}

constexpr HostAllocator kPinned{allocatePinned, releasePinned};

}  // namespace

void usePinnedBlocks(int device) {
  static std::once_flag once;
  std::call_once(once, [device] {
    blocksDevice.store(device);
    installHostAllocator(&kPinned);
  });
}

bool inPinnedBlock(const void* p, size_t bytes) {
  const auto at = reinterpret_cast<uintptr_t>(p);
  std::lock_guard<std::mutex> lock(blocksMutex);
  auto it = blocks().upper_bound(at);
  if (it == blocks().begin()) return false;
  --it;
  return at + bytes <= it->first + it->second;
}

}  // namespace trtfarm::cuda
