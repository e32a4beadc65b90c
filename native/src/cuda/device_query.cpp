#include "device_query.h"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include "../gpu/check.h"
#include "../gpu/device_query.h"

namespace trtfarm::cuda {

std::string libraryVersion() {
  const size_t lt = cublasLtGetVersion();
  return "cuda " + gpu::runtimeVersion() + ", cublasLt " + std::to_string(lt / 10000) + "." +
         std::to_string((lt / 100) % 100) + "." + std::to_string(lt % 100);
}

std::string compatKeyFor(int device) {
  int major = 0, minor = 0;
  gpu::check(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
  gpu::check(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
  return "cuda:sm_" + std::to_string(major) + std::to_string(minor) + ":cuda" + gpu::runtimeVersion() + ":cublasLt" +
         std::to_string(cublasLtGetVersion());
}

}  // namespace trtfarm::cuda
