#include "compat_key.h"

namespace trtfarm::tensorrt {
namespace {

// Ampere is the oldest architecture TensorRT's kAMPERE_PLUS level targets.
constexpr int kAmpereMajor = 8;

int majorOf(const std::string& computeCapability) { return std::stoi(computeCapability); }

std::string smOf(const std::string& computeCapability) {
  std::string sm = computeCapability;
  const size_t dot = sm.find('.');
  if (dot != std::string::npos) sm.erase(dot, 1);
  return "sm_" + sm;
}

}  // namespace

std::string compatKeyFor(const CompatKeyParts& here, const TensorrtOptions& options) {
  // kSAME_COMPUTE_CAPABILITY widens an engine from one GPU model to its SM: the SM is what the
  // default key already names, so both keep it.
  const std::string gpu = options.hardware == HardwareCompatibility::AmperePlus ? "sm_80+" : smOf(here.computeCapability);
  const std::string version = "trt" + here.tensorrt + (options.versionCompatible ? "+" : "");
  return "tensorrt:" + gpu + ":" + version + ":cuda" + here.cuda;
}

std::vector<std::string> compatKeysOf(const CompatKeyParts& here) {
  std::vector<HardwareCompatibility> levels = {HardwareCompatibility::None};
  if (majorOf(here.computeCapability) >= kAmpereMajor) levels.push_back(HardwareCompatibility::AmperePlus);
  std::vector<std::string> keys;
  for (HardwareCompatibility level : levels) {
    for (bool versionCompatible : {false, true}) keys.push_back(compatKeyFor(here, TensorrtOptions{versionCompatible, level}));
  }
  return keys;
}

bool isVersionCompatibleKey(const std::string& key) {
  const size_t trt = key.find(":trt");
  const size_t end = key.find(':', trt + 1);
  return trt != std::string::npos && end != std::string::npos && key[end - 1] == '+';
}

}  // namespace trtfarm::tensorrt
