// What the CUDA runtime reports about devices and its own version, for every GPU backend.
#pragma once

#include <string>

#include "../core/backend.h"

namespace trtfarm::gpu {

// Visible devices (CUDA_VISIBLE_DEVICES applies); 0 with `reason` set when none can be used.
int visibleDeviceCount(std::string* reason);
DeviceInfo describeDevice(int index);
// "13.0": the CUDA runtime this was built against.
std::string runtimeVersion();

}  // namespace trtfarm::gpu
