#include "host_memory.h"

#include <atomic>
#include <cstdlib>

namespace trtfarm {
namespace {

void* plainAllocate(size_t bytes) { return std::aligned_alloc(64, (bytes + 63) / 64 * 64); }

constexpr HostAllocator kPlain{plainAllocate, std::free};
std::atomic<const HostAllocator*> installed{&kPlain};

}  // namespace

const HostAllocator& hostAllocator() { return *installed.load(); }

const HostAllocator& plainHostAllocator() { return kPlain; }

void installHostAllocator(const HostAllocator* allocator) { installed.store(allocator); }

}  // namespace trtfarm
