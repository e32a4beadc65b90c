#include "output_arrays.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <new>

#include "core/host_memory.h"

namespace trtfarm::addon {
namespace {

struct Block {
  void* data;
  size_t capacity;
  const HostAllocator* from;
};

// Blocks by capacity: powers of two from kRecycleFromBytes, so that outputs whose batch varies
// a little still find one. One pool for the process: several Node environments (worker threads)
// may load the addon, hence the lock. A block of an allocator no longer in use (plain memory
// made before cuda installed its own) is not kept.
class BlockPool {
 public:
  static size_t capacityFor(size_t bytes) {
    size_t capacity = kRecycleFromBytes;
    while (capacity < bytes) capacity <<= 1;
    return capacity;
  }

  Block take(size_t capacity) {
    const HostAllocator* current = &hostAllocator();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = free_.find(capacity);
      if (it != free_.end()) {
        const Block block = it->second;
        free_.erase(it);
        keptBytes_ -= capacity;
        return block;
      }
    }
    void* data = current->allocate(capacity);
    if (data == nullptr && current != &plainHostAllocator()) {
      current = &plainHostAllocator();  // page-locked memory can run out: plain memory still works
      data = current->allocate(capacity);
    }
    if (data == nullptr) throw std::bad_alloc();
    return {data, capacity, current};
  }

  void give(const Block& block) {
    if (block.from == &hostAllocator()) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (keptBytes_ + block.capacity <= kRecycledBytesKept) {
        free_.emplace(block.capacity, block);
        keptBytes_ += block.capacity;
        return;
      }
    }
    block.from->release(block.data);
  }

 private:
  std::mutex mutex_;
  std::multimap<size_t, Block> free_;
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
  auto* block = new Block(pool().take(BlockPool::capacityFor(bytes)));
  Napi::ArrayBuffer buffer;
  try {
    buffer = Napi::ArrayBuffer::New(
        env, block->data, bytes,
        [](Napi::Env finalizeEnv, void*, Block* held) {
          Napi::MemoryManagement::AdjustExternalMemory(finalizeEnv, -static_cast<int64_t>(held->capacity));
          pool().give(*held);
          delete held;
        },
        block);
  } catch (...) {
    pool().give(*block);
    delete block;
    throw;
  }
  // The garbage collector is told of the block while an array holds it: it collects sooner, and
  // the block comes back to the pool sooner (fewer new blocks, whose pages fault on first touch).
  Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(block->capacity));
  return Napi::Float32Array::New(env, elements, buffer, 0);
}

}  // namespace trtfarm::addon
