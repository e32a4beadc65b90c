// What the CUDA runtime reports about devices and library versions.
#pragma once

#include <string>

#include "../core/backend.h"

namespace trtfarm::cuda {

// Visible devices (CUDA_VISIBLE_DEVICES applies); 0 with `reason` set when none can be used.
int visibleDeviceCount(std::string* reason);
DeviceInfo describeDevice(int index);
// "cuda 13.0, cublasLt 13.1.0": the runtime this was built against and the cuBLASLt loaded.
std::string libraryVersion();
// "cuda:sm_90:cuda13.0:cublasLt130100": a plan's tactics are valid only where all of these match.
std::string compatKeyFor(int device);

}  // namespace trtfarm::cuda
