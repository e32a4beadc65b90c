// Owned CUDA memory, freed on destruction: device memory for weights, activations and tensor
// bindings, and page-locked host memory, the staging that lets input and output copies run as
// asynchronous DMA on an engine's stream. Empty (nullptr) at zero bytes.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>

#include "check.h"

namespace trtfarm::gpu {

struct DeviceMemory {
  static constexpr const char* kAllocate = "cudaMalloc";
  static cudaError_t allocate(void** ptr, size_t bytes) { return cudaMalloc(ptr, bytes); }
  static void release(void* ptr) { cudaFree(ptr); }
};

struct PinnedHostMemory {
  static constexpr const char* kAllocate = "cudaMallocHost";
  static cudaError_t allocate(void** ptr, size_t bytes) { return cudaMallocHost(ptr, bytes); }
  static void release(void* ptr) { cudaFreeHost(ptr); }
};

template <class Memory>
class CudaBuffer {
 public:
  CudaBuffer() = default;
  explicit CudaBuffer(size_t bytes) : bytes_(bytes) {
    if (bytes > 0) check(Memory::allocate(&ptr_, bytes), Memory::kAllocate);
  }
  ~CudaBuffer() {
    if (ptr_) Memory::release(ptr_);
  }
  CudaBuffer(CudaBuffer&& other) noexcept
      : ptr_(std::exchange(other.ptr_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
  CudaBuffer& operator=(CudaBuffer&& other) noexcept {
    std::swap(ptr_, other.ptr_);
    std::swap(bytes_, other.bytes_);
    return *this;
  }
  CudaBuffer(const CudaBuffer&) = delete;
  CudaBuffer& operator=(const CudaBuffer&) = delete;

  void* get() const { return ptr_; }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

using DeviceBuffer = CudaBuffer<DeviceMemory>;
using PinnedBuffer = CudaBuffer<PinnedHostMemory>;

}  // namespace trtfarm::gpu
