// The Float32Arrays an inference writes its outputs into. A fresh typed array costs more than the
// copy into it once it is large: V8 zero-fills it, and the pages of a large allocation are new to
// the process, each faulting on first touch (bench/gpu/results-host.md has what recycling them
// gained host to host). Outputs of
// kRecycleFromBytes or more are external ArrayBuffers over blocks that come back to a pool when
// the garbage collector frees their arrays, and go out again unzeroed: the engine writes every
// element. Smaller ones are ordinary arrays. New blocks come from core/host_memory.h's allocator
// (page-locked memory once a cuda engine is loaded).
#pragma once

#include <napi.h>

#include <cstddef>

namespace trtfarm::addon {

constexpr size_t kRecycleFromBytes = 64u << 10;
// Free blocks kept for reuse, over all sizes; beyond, a freed block goes back to the system.
constexpr size_t kRecycledBytesKept = 512u << 20;

Napi::Float32Array newOutputArray(Napi::Env env, size_t elements);

}  // namespace trtfarm::addon
