#include "engine_wrap.h"

#include "errors.h"
#include "infer_worker.h"

namespace trtfarm::addon {

Napi::Function EngineWrap::DefineClass(Napi::Env env) {
  return ObjectWrap<EngineWrap>::DefineClass(env, "Engine",
                                             {InstanceAccessor<&EngineWrap::Info>("info"),
                                              InstanceMethod<&EngineWrap::Infer>("infer"),
                                              InstanceMethod<&EngineWrap::Dispose>("dispose")});
}

Napi::Object EngineWrap::Create(const Napi::Function& constructor, std::shared_ptr<LoadedPlan> loaded,
                                Napi::Object info) {
  Napi::Object object = constructor.New({});
  EngineWrap* engine = Unwrap(object);
  engine->loaded_ = std::move(loaded);
  engine->info_ = Napi::Persistent(info);
  return object;
}

EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {}

Napi::Value EngineWrap::Info(const Napi::CallbackInfo& info) {
  if (info_.IsEmpty()) throw engineError(info.Env(), ErrorCode::Runtime, "Engine objects come from loadEngine()");
  return info_.Value();
}

Napi::Value EngineWrap::Infer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!loaded_) throw Error(ErrorCode::Runtime, "the engine was disposed; load the plan again");
    auto* worker = new InferWorker(env, loaded_, info[0]);
    const Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (const Error& e) {
    Napi::Promise::Deferred rejected = Napi::Promise::Deferred::New(env);
    rejected.Reject(engineError(env, e.code(), e.what()).Value());
    return rejected.Promise();
  }
}

Napi::Value EngineWrap::Dispose(const Napi::CallbackInfo& info) {
  loaded_.reset();
  return info.Env().Undefined();
}

}  // namespace trtfarm::addon
