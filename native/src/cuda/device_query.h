// What the cuda backend adds to gpu/device_query.h: the cuBLASLt it loaded, in its version and
// its compatibility key.
#pragma once

#include <string>

namespace trtfarm::cuda {

// "cuda 13.0, cublasLt 13.1.0": the runtime this was built against and the cuBLASLt loaded.
std::string libraryVersion();
// "cuda:sm_90:cuda13.0:cublasLt130100": a plan's tactics are valid only where all of these match.
std::string compatKeyFor(int device);

}  // namespace trtfarm::cuda
