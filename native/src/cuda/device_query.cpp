#include "device_query.h"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include "check.h"

namespace trtfarm::cuda {
namespace {

std::string runtimeVersion() {
  int v = 0;
  check(cudaRuntimeGetVersion(&v), "cudaRuntimeGetVersion");
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

}  // namespace

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

std::string libraryVersion() {
  const size_t lt = cublasLtGetVersion();
  return "cuda " + runtimeVersion() + ", cublasLt " + std::to_string(lt / 10000) + "." +
         std::to_string((lt / 100) % 100) + "." + std::to_string(lt % 100);
}

std::string compatKeyFor(int device) {
  int major = 0, minor = 0;
  check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
  check(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
  return "cuda:sm_" + std::to_string(major) + std::to_string(minor) + ":cuda" + runtimeVersion() + ":cublasLt" +
         std::to_string(cublasLtGetVersion());
}

}  // namespace trtfarm::cuda
