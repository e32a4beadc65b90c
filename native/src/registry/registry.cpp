// Which backends this addon was compiled with; the CMake options decide (TRTFARM_HAVE_*).
#include "../cpu/cpu_backend.h"
#include "../core/backend.h"
#include "../core/error.h"
#ifdef TRTFARM_HAVE_CUDA
#include "../cuda/cuda_backend.h"
#endif
#ifdef TRTFARM_HAVE_TENSORRT
#include "../tensorrt/tensorrt_backend.h"
#endif

namespace trtfarm {

namespace {

// A backend left out at configure time, and why.
[[maybe_unused]] BackendStatus notCompiled(const std::string& name, const std::string& reason) {
  BackendStatus s;
  s.name = name;
  s.reason = reason;
  return s;
}

}  // namespace

std::vector<BackendStatus> listBackends() {
  std::vector<BackendStatus> all{cpu::status()};
#ifdef TRTFARM_HAVE_CUDA
  all.push_back(cuda::status());
#else
  all.push_back(notCompiled("cuda", TRTFARM_CUDA_REASON));
#endif
#ifdef TRTFARM_HAVE_TENSORRT
  all.push_back(tensorrt::status());
#else
  all.push_back(notCompiled("tensorrt", TRTFARM_TENSORRT_REASON));
#endif
  return all;
}

std::unique_ptr<Backend> createBackend(const std::string& name, int device) {
  if (name == "cpu") return cpu::create(device);
#ifdef TRTFARM_HAVE_CUDA
  if (name == "cuda") return cuda::create(device);
#endif
#ifdef TRTFARM_HAVE_TENSORRT
  if (name == "tensorrt") return tensorrt::create(device);
#endif
  for (const BackendStatus& s : listBackends())
    if (s.name == name) throw Error(ErrorCode::Backend, "backend '" + name + "' is not available: " + s.reason);
  throw Error(ErrorCode::Backend, "unknown backend '" + name + "' (known: cpu, cuda, tensorrt)");
}

}  // namespace trtfarm
