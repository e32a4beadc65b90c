// The GEMV kernels' entry points, instantiated one (weights, x, y) type triple a file in
// gemv_<weights>[_in|_out|_io].cu (so that their many variants compile in parallel) and called
// by gemv.cu.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "../core/program.h"

namespace trtfarm::cuda {

// Dynamic shared memory a block may opt into on this device (227 KB on an H100).
int sharedLimit();

// T: the weights' element type; XT, YT: x's and y's (T, or float at the network's edge).
template <typename T, typename XT, typename YT>
void launchGemvTyped(int variant, const void* w, const void* bias, const void* x, void* y, int rows, int64_t k,
                     int64_t n, Activation act, float alpha, cudaStream_t stream);

}  // namespace trtfarm::cuda
