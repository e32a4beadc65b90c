#include "device_query.h"

#include <cuda_runtime_api.h>

#include "check.h"

namespace trtfarm::gpu {

int visibleDeviceCount(std::string* reason) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();  // not sticky: clear it so later calls start clean
    *reason = std::string("no usable CUDA device: ") + cudaGetErrorString(status);
    return 0;
  }
  if (count == 0) *reason = "no CUDA device visible";
  return count;
}

DeviceInfo describeDevice(int index) {
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, index), "cudaGetDeviceProperties");
  DeviceInfo info;
  info.index = index;
  info.name = prop.name;
  info.computeCapability = std::to_string(prop.major) + "." + std::to_string(prop.minor);
  info.memoryBytes = prop.totalGlobalMem;
  return info;
}

std::string runtimeVersion() {
  int v = 0;
  check(cudaRuntimeGetVersion(&v), "cudaRuntimeGetVersion");
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

}  // namespace trtfarm::gpu
