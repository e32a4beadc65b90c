// The one interface the cpu, cuda and tensorrt backends implement.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plan.h"
#include "program.h"

namespace trtfarm {

struct DeviceInfo {
  int index = 0;
  std::string name;               // "NVIDIA H100 80GB HBM3", or the CPU model
  std::string computeCapability;  // "9.0"; empty for cpu
  uint64_t memoryBytes = 0;
};

struct BackendStatus {
  std::string name;
  bool compiled = false;          // built into this addon
  bool available = false;         // compiled and a usable device was found
  std::string reason;             // why not available (e.g. "built without CUDA", "no GPU visible")
  std::string version;            // library versions, e.g. "cuda 13.0, cublasLt 13.1.0"
  std::vector<DeviceInfo> devices;
};

// A plan's autotuning winners as timing-cache entries (one per key), and how many of its tactics
// came from BuildConfig::timingCache instead of being timed.
struct TimingCacheResult {
  std::vector<TimingEntry> entries;
  size_t hits = 0;
};

// fraction in [0, 1]; stage says what is being done ("autotuning layer 2/4").
using ProgressFn = std::function<void(double fraction, const std::string& stage)>;

class Engine {
 public:
  virtual ~Engine() = default;
  // Runs the program at `batch` (substituted for kDynamic). Host fp32 buffers, row-major, in
  // Program::inputs / Program::outputs order, sized for that batch, used where they are: inputs
  // are read (any alignment) until run() returns, outputs may be written at any point of it, so
  // no output may overlap an input or another output. Shapes were checked by the caller. May be
  // called from several threads at once: concurrent runs proceed together where the backend can.
  virtual void run(int64_t batch, const std::vector<const float*>& inputs,
                   const std::vector<float*>& outputs) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual std::string version() const = 0;
  // Hardware and library versions a plan built here needs, e.g. "cuda:sm_90:cuda13.0:cublasLt130100".
  virtual std::string compatKey() const = 0;
  // The key of a plan built here with `config`: wider than compatKey() where the config makes
  // the plan portable (tensorrt's compatibility options).
  virtual std::string planCompatKey(const BuildConfig&) const { return compatKey(); }
  // Whether a plan with this key loads here.
  virtual bool runs(const std::string& planCompatKey) const { return planCompatKey == compatKey(); }
  virtual DeviceInfo device() const = 0;
  // Build time: picks tactics for `program` (autotuning on the device where that applies),
  // honouring config.reuseTactics and config.timingCache, stopping with Error{Cancelled} once
  // config.cancel is set. The bytes go into the plan verbatim.
  virtual std::vector<uint8_t> tune(const Program& program, const BuildConfig& config,
                                    const BatchRange& batch, const ProgressFn& progress) = 0;
  // A JSON object summarizing tactics (for plan meta), e.g. {"layers":[{"op":0,"algo":"..."}]}.
  virtual std::string describeTactics(const std::vector<uint8_t>& tactics) const = 0;
  // The timing-cache view of tune()'s bytes; nullopt for a backend that keeps no timing cache.
  virtual std::optional<TimingCacheResult> timingCache(const std::vector<uint8_t>& /*tactics*/) const {
    return std::nullopt;
  }
  // Load time: the plan names this backend, passed checkPlan (plan_check.h: the engine checks none of
  // that again) and its compatKey was already checked with runs().
  virtual std::unique_ptr<Engine> load(const Plan& plan) = 0;
};

// What was compiled in, what devices each sees, and why one is unavailable.
std::vector<BackendStatus> listBackends();
// Throws Error{ErrorCode::Backend} when `name` is unknown, not compiled in or has no such device.
std::unique_ptr<Backend> createBackend(const std::string& name, int device);

}  // namespace trtfarm
