// What the host CPU is, for the backend's device description.
#pragma once

#include "core/backend.h"

namespace trtfarm::cpu {

// The model name from /proc/cpuinfo (or "cpu"), physical memory, index 0.
DeviceInfo hostDevice();

}  // namespace trtfarm::cpu
