// Where the large host buffers an engine's caller gets (the addon's output arrays) come from. By
// default plain memory; a backend whose copies are faster from memory of its own kind installs
// its allocator when its first engine loads (cuda: page-locked memory, which its copies reach by
// DMA with no staging). A block is released by the allocator that made it.
#pragma once

#include <cstddef>

namespace trtfarm {

struct HostAllocator {
  void* (*allocate)(size_t bytes);  // nullptr when it cannot
  void (*release)(void* block);
};

// The allocator in use now; installHostAllocator's argument must live as long as the process.
const HostAllocator& hostAllocator();
const HostAllocator& plainHostAllocator();
void installHostAllocator(const HostAllocator* allocator);

}  // namespace trtfarm
