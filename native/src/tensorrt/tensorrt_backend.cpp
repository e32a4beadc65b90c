#include "tensorrt_backend.h"

#include <NvInfer.h>

#include <algorithm>
#include <memory>

#include "../gpu/check.h"
#include "../gpu/device_query.h"
#include "build_progress.h"
#include "compat_key.h"
#include "error_logger.h"
#include "network_translator.h"
#include "tactics_blob.h"
#include "trt_dims.h"
#include "trt_engine.h"

// The oldest release with every API used here: kSAME_COMPUTE_CAPABILITY came in 10.9.
static_assert(NV_TENSORRT_MAJOR > 10 || (NV_TENSORRT_MAJOR == 10 && NV_TENSORRT_MINOR >= 9),
              "the tensorrt backend needs TensorRT 10.9 or later");

namespace trtfarm::tensorrt {
namespace {

// Strongly typed is the only kind of network: TensorRT 11 has no other (its flag is deprecated
// and ignored), 10.x must be asked for it.
uint32_t networkFlags() {
#if NV_TENSORRT_MAJOR < 11
  return 1U << static_cast<uint32_t>(nvinfer1::NetworkDefinitionCreationFlag::kSTRONGLY_TYPED);
#else
  return 0;
#endif
}

nvinfer1::HardwareCompatibilityLevel hardwareLevelOf(HardwareCompatibility level) {
  switch (level) {
    case HardwareCompatibility::AmperePlus: return nvinfer1::HardwareCompatibilityLevel::kAMPERE_PLUS;
    case HardwareCompatibility::SameComputeCapability: return nvinfer1::HardwareCompatibilityLevel::kSAME_COMPUTE_CAPABILITY;
    case HardwareCompatibility::None: break;
  }
  return nvinfer1::HardwareCompatibilityLevel::kNONE;
}

// The library actually loaded, which may differ from the headers.
std::string tensorrtVersion() {
  return std::to_string(::getInferLibMajorVersion()) + "." + std::to_string(::getInferLibMinorVersion()) + "." +
         std::to_string(::getInferLibPatchVersion());
}

template <typename T>
std::unique_ptr<T> made(T* object, const char* what) {
  if (object == nullptr) ErrorLogger::instance().fail(ErrorCode::Backend, std::string("tensorrt: cannot create ") + what);
  return std::unique_ptr<T>(object);
}

std::vector<uint8_t> bytesOf(const nvinfer1::IHostMemory& memory) {
  const auto* data = static_cast<const uint8_t*>(memory.data());
  return std::vector<uint8_t>(data, data + memory.size());
}

class TensorRTBackend : public Backend {
 public:
  explicit TensorRTBackend(int device) : device_(gpu::describeDevice(device)) {}

  std::string name() const override { return "tensorrt"; }

  std::string version() const override { return "tensorrt " + tensorrtVersion() + ", cuda " + gpu::runtimeVersion(); }

  // By default TensorRT engines run only on the SM they were built for and with the exact library.
  std::string compatKey() const override { return compatKeyFor(parts(), TensorrtOptions{}); }

  std::string planCompatKey(const BuildConfig& config) const override { return compatKeyFor(parts(), config.tensorrt); }

  bool runs(const std::string& planCompatKey) const override {
    const std::vector<std::string> keys = compatKeysOf(parts());
    return std::find(keys.begin(), keys.end(), planCompatKey) != keys.end();
  }

  DeviceInfo device() const override { return device_; }

  std::vector<uint8_t> tune(const Program& program, const BuildConfig& config, const BatchRange& batch,
                            const ProgressFn& progress) override {
    gpu::check(cudaSetDevice(device_.index), "cudaSetDevice");
    ErrorLogger& logger = ErrorLogger::instance();
    logger.clear();
    auto builder = made(nvinfer1::createInferBuilder(logger), "a builder");
    auto network = made(builder->createNetworkV2(networkFlags()), "a network");
    NetworkTranslator(program, config.precision, *network).translate();

    auto buildConfig = made(builder->createBuilderConfig(), "a builder config");
    // The precision is the network's: its constants' and casts' types (NetworkTranslator). TF32 is
    // the one flag left, being a math mode of fp32 tensors: TensorRT enables it by default, and
    // fp32 plans must not use it.
    if (config.precision == Precision::TF32) {
      buildConfig->setFlag(nvinfer1::BuilderFlag::kTF32);
    } else {
      buildConfig->clearFlag(nvinfer1::BuilderFlag::kTF32);
    }
    if (config.tensorrt.versionCompatible) buildConfig->setFlag(nvinfer1::BuilderFlag::kVERSION_COMPATIBLE);
    buildConfig->setHardwareCompatibilityLevel(hardwareLevelOf(config.tensorrt.hardware));
    addProfile(*builder, *buildConfig, program, batch);
    auto cache = timingCache(*buildConfig, config.reuseTactics);
    BuildProgress monitor(progress, config.cancel);
    buildConfig->setProgressMonitor(&monitor);

    std::unique_ptr<nvinfer1::IHostMemory> engine(builder->buildSerializedNetwork(*network, *buildConfig));
    throwIfCancelled(config.cancel);  // the monitor told TensorRT to stop: no engine, and no error of its own
    if (!engine) logger.fail(ErrorCode::Backend, "tensorrt: building the engine failed");
    std::unique_ptr<nvinfer1::IHostMemory> cacheBytes(cache->serialize());
    if (!cacheBytes) logger.fail(ErrorCode::Backend, "tensorrt: serializing the timing cache failed");
    if (progress) progress(1.0, "engine built");
    return packTactics(TacticsBlob{bytesOf(*engine), bytesOf(*cacheBytes)});
  }

  std::string describeTactics(const std::vector<uint8_t>& tactics) const override {
    const TacticsBlob blob = unpackTactics(tactics);
    return "{\"engineBytes\":" + std::to_string(blob.engine.size()) +
           ",\"timingCacheBytes\":" + std::to_string(blob.timingCache.size()) + "}";
  }

  std::unique_ptr<Engine> load(const Plan& plan) override { return std::make_unique<TrtEngine>(device_.index, plan); }

 private:
  CompatKeyParts parts() const { return CompatKeyParts{device_.computeCapability, tensorrtVersion(), gpu::runtimeVersion()}; }

  // One profile: every dynamic input follows the program's single batch symbol.
  static void addProfile(nvinfer1::IBuilder& builder, nvinfer1::IBuilderConfig& buildConfig, const Program& program,
                         const BatchRange& batch) {
    nvinfer1::IOptimizationProfile* profile = nullptr;
    for (int32_t index : program.inputs) {
      const Value& input = program.values.at(index);
      if (input.shape.empty() || input.shape[0] != kDynamic) continue;
      if (profile == nullptr) {
        profile = builder.createOptimizationProfile();  // owned by the builder
        if (profile == nullptr) ErrorLogger::instance().fail(ErrorCode::Backend, "tensorrt: cannot create a profile");
      }
      const char* name = input.name.c_str();
      const bool ok =
          profile->setDimensions(name, nvinfer1::OptProfileSelector::kMIN, toTrtDims(atBatch(input.shape, batch.min))) &&
          profile->setDimensions(name, nvinfer1::OptProfileSelector::kOPT, toTrtDims(atBatch(input.shape, batch.opt))) &&
          profile->setDimensions(name, nvinfer1::OptProfileSelector::kMAX, toTrtDims(atBatch(input.shape, batch.max)));
      if (!ok) ErrorLogger::instance().fail(ErrorCode::Network, "tensorrt: bad profile for input '" + input.name + "'");
    }
    if (profile != nullptr && buildConfig.addOptimizationProfile(profile) < 0) {
      ErrorLogger::instance().fail(ErrorCode::Network, "tensorrt: the optimization profile was refused");
    }
  }

  // The earlier build's timing cache when it suits this device and library, else a fresh one:
  // a stale cache only costs timing, never correctness.
  static std::unique_ptr<nvinfer1::ITimingCache> timingCache(nvinfer1::IBuilderConfig& buildConfig,
                                                             const std::vector<uint8_t>& reuseTactics) {
    if (!reuseTactics.empty()) {
      const TacticsBlob earlier = unpackTactics(reuseTactics);
      std::unique_ptr<nvinfer1::ITimingCache> cache(
          buildConfig.createTimingCache(earlier.timingCache.data(), earlier.timingCache.size()));
      if (cache && buildConfig.setTimingCache(*cache, false)) return cache;
      ErrorLogger::instance().clear();
    }
    auto cache = made(buildConfig.createTimingCache(nullptr, 0), "a timing cache");
    if (!buildConfig.setTimingCache(*cache, false)) {
      ErrorLogger::instance().fail(ErrorCode::Backend, "tensorrt: the timing cache was refused");
    }
    return cache;
  }

  DeviceInfo device_;
};

}  // namespace

BackendStatus status() {
  BackendStatus status;
  status.name = "tensorrt";
  status.compiled = true;
  try {
    status.version = "tensorrt " + tensorrtVersion() + " (headers " + std::to_string(NV_TENSORRT_MAJOR) + "." +
                     std::to_string(NV_TENSORRT_MINOR) + "." + std::to_string(NV_TENSORRT_PATCH) + "), cuda " +
                     gpu::runtimeVersion();
    if (::getInferLibMajorVersion() != NV_TENSORRT_MAJOR) {
      status.reason = "TensorRT library " + tensorrtVersion() + " does not match the headers it was built with";
      return status;
    }
    const int count = gpu::visibleDeviceCount(&status.reason);
    if (count == 0) return status;
    for (int device = 0; device < count; ++device) status.devices.push_back(gpu::describeDevice(device));
    status.available = true;
  } catch (const Error& error) {
    status.reason = error.what();
  }
  return status;
}

std::unique_ptr<Backend> create(int device) {
  std::string reason;
  const int count = gpu::visibleDeviceCount(&reason);
  if (device < 0 || device >= count) {
    throw Error(ErrorCode::Backend, "tensorrt: no GPU " + std::to_string(device) + " (" + std::to_string(count) +
                                        " visible" + (reason.empty() ? "" : ": " + reason) + ")");
  }
  return std::make_unique<TensorRTBackend>(device);
}

}  // namespace trtfarm::tensorrt
