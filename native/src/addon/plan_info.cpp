#include "plan_info.h"

#include "core/backend.h"

namespace trtfarm::addon {

namespace {

const char* precisionName(Precision precision) {
  switch (precision) {
    case Precision::FP32: return "fp32";
    case Precision::TF32: return "tf32";
    case Precision::FP16: return "fp16";
    case Precision::BF16: return "bf16";
    case Precision::FP8: return "fp8";
  }
  return "fp32";
}

Napi::Array dimsToJs(Napi::Env env, const Dims& dims) {
  Napi::Array array = Napi::Array::New(env, dims.size());
  for (size_t i = 0; i < dims.size(); ++i) array.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(dims[i])));
  return array;
}

}  // namespace

Napi::Array tensorInfos(Napi::Env env, const std::vector<TensorDesc>& descs) {
  Napi::Array array = Napi::Array::New(env, descs.size());
  for (size_t i = 0; i < descs.size(); ++i) {
    Napi::Object info = Napi::Object::New(env);
    info.Set("name", descs[i].name);
    info.Set("shape", dimsToJs(env, descs[i].shape));
    info.Set("dtype", "float32");
    array.Set(static_cast<uint32_t>(i), info);
  }
  return array;
}

Napi::Object planInfoToJs(Napi::Env env, const Plan& plan, size_t bytes, const std::string& tacticsJson) {
  Napi::Object info = Napi::Object::New(env);
  info.Set("formatVersion", Napi::Number::New(env, plan.formatVersion));
  info.Set("backend", plan.backend);
  info.Set("backendVersion", plan.backendVersion);
  info.Set("compatKey", plan.compatKey);
  info.Set("precision", precisionName(plan.precision));
  Napi::Object batch = Napi::Object::New(env);
  batch.Set("min", Napi::Number::New(env, static_cast<double>(plan.batch.min)));
  batch.Set("opt", Napi::Number::New(env, static_cast<double>(plan.batch.opt)));
  batch.Set("max", Napi::Number::New(env, static_cast<double>(plan.batch.max)));
  info.Set("batch", batch);
  info.Set("inputs", tensorInfos(env, plan.inputs));
  info.Set("outputs", tensorInfos(env, plan.outputs));
  Napi::Object profile = Napi::Object::New(env);
  bool dynamic = false;
  for (const TensorDesc& input : plan.inputs) {
    if (input.profile.size() != 3) continue;
    Napi::Object range = Napi::Object::New(env);
    range.Set("min", dimsToJs(env, input.profile[0]));
    range.Set("opt", dimsToJs(env, input.profile[1]));
    range.Set("max", dimsToJs(env, input.profile[2]));
    profile.Set(input.name, range);
    dynamic = true;
  }
  if (dynamic) info.Set("profile", profile);
  if (!tacticsJson.empty()) {
    const Napi::Function parse = env.Global().Get("JSON").As<Napi::Object>().Get("parse").As<Napi::Function>();
    info.Set("tactics", parse.Call({Napi::String::New(env, tacticsJson)}));
  }
  info.Set("bytes", Napi::Number::New(env, static_cast<double>(bytes)));
  return info;
}

std::string describeTacticsHere(const Plan& plan) {
  for (const BackendStatus& status : listBackends())
    if (status.name == plan.backend && status.available) return createBackend(plan.backend, 0)->describeTactics(plan.tactics);
  return "";
}

}  // namespace trtfarm::addon
