// Page-locked host blocks for the arrays an engine's caller gets its outputs in (through
// core/host_memory.h): installed when the first cuda engine of the process loads in auto or
// registered host-io mode, so that outputs go from the device to the caller's array by DMA, with
// neither a staging copy nor a registration per call. Their ranges are kept here, because only
// these (not memory another call has registered for itself, and will unregister) may be used
// as they are by any call.
#pragma once

#include <cstddef>

namespace trtfarm::cuda {

// `device`: where the engine that asks lives (page-locking binds the calling thread to a device).
void usePinnedBlocks(int device);
// Whether [p, p + bytes) lies inside one of these blocks.
bool inPinnedBlock(const void* p, size_t bytes);

}  // namespace trtfarm::cuda
