#include <map>

#include "convert.h"
#include "js_read.h"

namespace trtfarm::addon {

namespace {

TensorrtOptions tensorrtOptionsFromJs(const JsReader& read, const Napi::Value& value) {
  const Napi::Object o = read.object(value, "options.tensorrt");
  TensorrtOptions options;
  if (!o.Get("versionCompatible").IsUndefined())
    options.versionCompatible = read.boolean(o.Get("versionCompatible"), "options.tensorrt.versionCompatible");
  if (!o.Get("hardwareCompatibility").IsUndefined()) {
    static const std::map<std::string, HardwareCompatibility> kLevels = {
        {"none", HardwareCompatibility::None},
        {"ampere+", HardwareCompatibility::AmperePlus},
        {"sameComputeCapability", HardwareCompatibility::SameComputeCapability}};
    const std::string level = read.string(o.Get("hardwareCompatibility"), "options.tensorrt.hardwareCompatibility");
    const auto found = kLevels.find(level);
    if (found == kLevels.end())
      read.fail("options.tensorrt.hardwareCompatibility '" + level + "' is not one of: none, ampere+, sameComputeCapability");
    options.hardware = found->second;
  }
  return options;
}

// options.limits: each a number ≥ 0 (Infinity: none); absent ones stay unlimited.
BuildLimits limitsFromJs(const JsReader& read, const Napi::Value& value) {
  BuildLimits limits;
  if (value.IsUndefined()) return limits;
  const Napi::Object o = read.object(value, "options.limits");
  const auto take = [&](const char* name, double& limit) {
    const Napi::Value v = o.Get(name);
    if (v.IsUndefined()) return;
    const std::string what = std::string("options.limits.") + name;
    limit = read.number(v, what);
    if (!(limit >= 0)) read.fail(what + " must be a number ≥ 0");
  };
  take("planBytes", limits.planBytes);
  take("foldedBytes", limits.foldedBytes);
  take("foldFlops", limits.foldFlops);
  return limits;
}

std::vector<TimingEntry> timingCacheFromJs(const JsReader& read, const Napi::Value& value) {
  std::vector<TimingEntry> entries;
  if (value.IsUndefined()) return entries;
  if (!value.IsArray()) read.fail("options.timingCache must be an array of { key, tactic }");
  const Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    const std::string what = "options.timingCache[" + std::to_string(i) + "]";
    const Napi::Object entry = read.object(array.Get(i), what);
    entries.push_back({read.string(entry.Get("key"), what + ".key"), read.string(entry.Get("tactic"), what + ".tactic")});
  }
  return entries;
}

}  // namespace

BuildConfig buildConfigFromJs(const Napi::Value& value) {
  const JsReader read{ErrorCode::Network};
  const Napi::Object o = read.object(value, "options");
  BuildConfig config;
  static const std::map<std::string, Precision> kPrecisions = {
      {"fp32", Precision::FP32}, {"tf32", Precision::TF32}, {"fp16", Precision::FP16}, {"bf16", Precision::BF16},
      {"fp8", Precision::FP8}};
  const std::string precision = read.string(o.Get("precision"), "options.precision");
  const auto found = kPrecisions.find(precision);
  if (found == kPrecisions.end()) read.fail("precision '" + precision + "' is not one of: fp32, tf32, fp16, bf16, fp8");
  config.precision = found->second;
  config.backend = read.string(o.Get("backend"), "options.backend");
  if (!o.Get("device").IsUndefined()) {
    const int64_t device = read.integer(o.Get("device"), "options.device");
    if (device < 0 || device > 4096) read.fail("options.device " + std::to_string(device) + " is not a device index");
    config.device = static_cast<int>(device);
  }
  if (!o.Get("profile").IsUndefined()) {
    const Napi::Object profile = read.object(o.Get("profile"), "options.profile");
    const Napi::Array names = profile.GetPropertyNames();
    for (uint32_t i = 0; i < names.Length(); ++i) {
      const std::string name = names.Get(i).As<Napi::String>().Utf8Value();
      const std::string what = "profile of input '" + name + "'";
      const Napi::Object range = read.object(profile.Get(name), what);
      config.profile[name] = {read.dims(range.Get("min"), what + ": min"), read.dims(range.Get("opt"), what + ": opt"),
                              read.dims(range.Get("max"), what + ": max")};
    }
  }
  config.limits = limitsFromJs(read, o.Get("limits"));
  config.timingCache = timingCacheFromJs(read, o.Get("timingCache"));
  if (!o.Get("tensorrt").IsUndefined()) config.tensorrt = tensorrtOptionsFromJs(read, o.Get("tensorrt"));
  return config;
}

std::vector<uint8_t> earlierPlanFromJs(const Napi::Value& value) {
  const JsReader read{ErrorCode::Network};
  const Napi::Value earlier = read.object(value, "options").Get("reuseTacticsFrom");
  if (earlier.IsUndefined()) return {};
  return read.bytes(earlier, "options.reuseTacticsFrom");
}

}  // namespace trtfarm::addon
