#include "output_arrays.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <new>

namespace trtfarm::addon {
namespace {

// Blocks by capacity: powers of two from kRecycleFromBytes, so that outputs whose batch varies
// a little still find one. One pool for the process: several Node environments (worker threads)
// may load the addon, hence the lock.
class BlockPool {
 public:
  static size_t capacityFor(size_t bytes) {
    size_t capacity = kRecycleFromBytes;
    while (capacity < bytes) capacity <<= 1;
    return capacity;
  }

  void* take(size_t capacity) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(capacity);
      if (it != free_.end()) {
        void* block = it->second;
        free_.erase(it);
        keptBytes_ -= capacity;
        return block;
      }
    }
    void* block = std::aligned_alloc(64, capacity);
    if (block == nullptr) throw std::bad_alloc();
    return block;
  }

  void give(void* block, size_t capacity) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (keptBytes_ + capacity <= kRecycledBytesKept) {
        free_.emplace(capacity, block);
        keptBytes_ += capacity;
        return;
      }
    }
    std::free(block);
  }

 private:
  std::mutex mutex_;
  std::multimap<size_t, void*> free_;
  size_t keptBytes_ = 0;
};

BlockPool& pool() {
  static BlockPool* instance = new BlockPool();  // never destroyed: finalizers may run at exit
  return *instance;
}

}  // namespace

Napi::Float32Array newOutputArray(Napi::Env env, size_t elements) {
  const size_t bytes = elements * sizeof(float);
  if (bytes < kRecycleFromBytes) return Napi::Float32Array::New(env, elements);
  const size_t capacity = BlockPool::capacityFor(bytes);
  void* block = pool().take(capacity);
  auto* heldCapacity = new size_t(capacity);
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(
        env, block, bytes,
        [](Napi::Env finalizeEnv, void* data, size_t* held) {
          Napi::MemoryManagement::AdjustExternalMemory(finalizeEnv, -static_cast<int64_t>(*held));
          pool().give(data, *held);
          delete held;
        },
        heldCapacity);
  } catch (...) {
    delete heldCapacity;
    pool().give(block, capacity);
    throw;
  }
  // The garbage collector is told of the block while an array holds it (a large output is
  // mostly outside the V8 heap, which would otherwise not count it).
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(capacity));
  return Napi::Float32Array::New(env, elements, buffer, 0);
}

}  // namespace trtfarm::addon
