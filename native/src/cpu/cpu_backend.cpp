#include "cpu_backend.h"

#include <string>

#include "core/error.h"
#include "cpu_engine.h"
#include "host_info.h"
#include "simd.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

namespace {

// Bump when the meaning of a cpu plan changes. Nothing machine-specific goes into cpu plans
// (no tactics, fp32 computed by the same generic code), so any machine can load them.
constexpr const char* kCompatKey = "cpu:1";

std::string versionString() { return std::string("trtfarm-cpu 1 (") + simd::kIsa + ")"; }

class CpuBackend : public Backend {
 public:
  std::string name() const override { return "cpu"; }
  std::string version() const override { return versionString(); }
  std::string compatKey() const override { return kCompatKey; }
  DeviceInfo device() const override { return hostDevice(); }

  // Nothing to choose: the kernel is fixed, so the plan records no tactics and stays deterministic.
  std::vector<uint8_t> tune(const Program&, const BuildConfig&, const BatchRange&, const ProgressFn& progress) override {
    if (progress) progress(1.0, "cpu: no tactics to tune");
    return {};
  }

  std::string describeTactics(const std::vector<uint8_t>&) const override {
    return std::string("{\"compute\":\"fp32\",\"gemm\":\"packed panels, register-blocked micro-kernel (") + simd::kIsa +
           ")\",\"threads\":" + std::to_string(ThreadPool::shared().size()) + "}";
  }

  std::unique_ptr<Engine> load(const Plan& plan) override { return std::make_unique<CpuEngine>(plan.program); }
};

}  // namespace

BackendStatus status() {
  BackendStatus s;
  s.name = "cpu";
  s.compiled = true;
  s.available = true;
  s.version = versionString();
  s.devices.push_back(hostDevice());
  return s;
}

std::unique_ptr<Backend> create(int device) {
  if (device != 0)
    throw Error(ErrorCode::Backend, "cpu backend has one device (0), not " + std::to_string(device));
  return std::make_unique<CpuBackend>();
}

}  // namespace trtfarm::cpu
