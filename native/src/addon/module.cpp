// The addon's exports (shared/engine/types.ts EngineAddon): backends, validate, build,
// inspectPlan, tensorrtEngine, loadEngine.
#include <napi.h>

#include "build_worker.h"
#include "convert.h"
#include "core/backend.h"
#include "core/validate.h"
#include "engine_wrap.h"
#include "errors.h"
#include "js_read.h"
#include "load_worker.h"
#include "plan_info.h"
#include "tensorrt_engine_worker.h"

namespace trtfarm::addon {

namespace {

// Per Node environment (worker_threads each load their own): the Engine class.
struct AddonData {
  Napi::FunctionReference engineClass;
};

Napi::Value Backends(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return withEngineErrors(env, [&]() -> Napi::Value {
    const std::vector<BackendStatus> all = listBackends();
    Napi::Array array = Napi::Array::New(env, all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      const BackendStatus& s = all[i];
      Napi::Object o = Napi::Object::New(env);
      o.Set("name", s.name);
      o.Set("compiled", s.compiled);
      o.Set("available", s.available);
      if (!s.reason.empty()) o.Set("reason", s.reason);
      o.Set("version", s.version);
      Napi::Array devices = Napi::Array::New(env, s.devices.size());
      for (size_t d = 0; d < s.devices.size(); ++d) {
        Napi::Object device = Napi::Object::New(env);
        device.Set("index", s.devices[d].index);
        device.Set("name", s.devices[d].name);
        if (!s.devices[d].computeCapability.empty()) device.Set("computeCapability", s.devices[d].computeCapability);
        if (s.devices[d].memoryBytes) device.Set("memoryBytes", static_cast<double>(s.devices[d].memoryBytes));
        devices.Set(static_cast<uint32_t>(d), device);
      }
      o.Set("devices", devices);
      array.Set(static_cast<uint32_t>(i), o);
    }
    return array;
  });
}

Napi::Object validated(Napi::Env env, const NetworkSpec& network, const Napi::Value& options) {
  const CheckedNetwork checked = validate(network, buildConfigFromJs(options));
  Napi::Object result = Napi::Object::New(env);
  result.Set("inputs", tensorInfos(env, checked.inputDescs));
  result.Set("outputs", tensorInfos(env, checked.outputDescs));
  return result;
}

// validate(network, options) or validate(network, [options, ...]): the network is converted (its
// weights copied) once for all, e.g. a sweep's variants.
Napi::Value Validate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return withEngineErrors(env, [&]() -> Napi::Value {
    const NetworkSpec network = networkFromJs(info[0]);
    if (!info[1].IsArray()) return validated(env, network, info[1]);
    const Napi::Array list = info[1].As<Napi::Array>();
    Napi::Array results = Napi::Array::New(env, list.Length());
    for (uint32_t i = 0; i < list.Length(); ++i) results.Set(i, validated(env, network, list.Get(i)));
    return results;
  });
}

// build()'s fourth argument, { signal?: AbortSignal }: the signal, or undefined.
Napi::Value abortSignalFromJs(const Napi::Value& control) {
  if (control.IsUndefined()) return control;
  const JsReader read{ErrorCode::Network};
  const Napi::Value signal = read.object(control, "build's fourth argument").Get("signal");
  if (signal.IsUndefined()) return signal;
  const Napi::Object o = read.object(signal, "signal");
  if (!o.Get("aborted").IsBoolean() || !o.Get("addEventListener").IsFunction() ||
      !o.Get("removeEventListener").IsFunction())
    read.fail("signal must be an AbortSignal");
  return signal;
}

Napi::Value Build(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return withEngineErrors(env, [&]() -> Napi::Value {
    const Napi::Value signal = abortSignalFromJs(info[3]);
    if (signal.IsObject() && signal.As<Napi::Object>().Get("aborted").As<Napi::Boolean>().Value()) {
      const Napi::Promise::Deferred cancelled = Napi::Promise::Deferred::New(env);
      cancelled.Reject(engineError(env, ErrorCode::Cancelled, "the build was cancelled before it started").Value());
      return cancelled.Promise();
    }
    auto* worker = new BuildWorker(env, networkFromJs(info[0]), buildConfigFromJs(info[1]), earlierPlanFromJs(info[1]),
                                   info[2], signal);
    const Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  });
}

Napi::Value InspectPlan(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return withEngineErrors(env, [&]() -> Napi::Value {
    const std::vector<uint8_t> bytes = JsReader{ErrorCode::Plan}.bytes(info[0], "plan");
    Plan plan = parsePlan(bytes.data(), bytes.size());
    return planInfoToJs(env, plan, bytes.size(), describeTacticsHere(plan));
  });
}

Napi::Value TensorrtEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return withEngineErrors(env, [&]() -> Napi::Value {
    auto* worker = new TensorrtEngineWorker(env, JsReader{ErrorCode::Plan}.bytes(info[0], "plan"));
    const Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  });
}

Napi::Value LoadEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return withEngineErrors(env, [&]() -> Napi::Value {
    const JsReader read{ErrorCode::Plan};
    const Napi::Uint8Array plan = read.uint8Array(info[0], "plan");
    int device = 0;
    if (info[1].IsObject() && !info[1].As<Napi::Object>().Get("device").IsUndefined())
      device = static_cast<int>(read.integer(info[1].As<Napi::Object>().Get("device"), "options.device"));
    auto* worker = new LoadWorker(env, plan, device, env.GetInstanceData<AddonData>()->engineClass.Value());
    const Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  });
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData{Napi::Persistent(EngineWrap::DefineClass(env))};
  env.SetInstanceData<AddonData>(data);
  exports.Set("backends", Napi::Function::New<Backends>(env, "backends"));
  exports.Set("validate", Napi::Function::New<Validate>(env, "validate"));
  exports.Set("build", Napi::Function::New<Build>(env, "build"));
  exports.Set("inspectPlan", Napi::Function::New<InspectPlan>(env, "inspectPlan"));
  exports.Set("tensorrtEngine", Napi::Function::New<TensorrtEngine>(env, "tensorrtEngine"));
  exports.Set("loadEngine", Napi::Function::New<LoadEngine>(env, "loadEngine"));
  return exports;
}

}  // namespace trtfarm::addon

static Napi::Object InitTrtfarm(Napi::Env env, Napi::Object exports) { return trtfarm::addon::Init(env, exports); }

NODE_API_MODULE(trtfarm, InitTrtfarm)
