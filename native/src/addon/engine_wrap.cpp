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

namespace {

// infer() always answers with a promise, also when it fails before the work is queued.
Napi::Value rejectedWith(Napi::Env env, Napi::Value error) {
  Napi::Promise::Deferred deferred = Napi::Promise::Deferred::New(env);
  deferred.Reject(error);
  return deferred.Promise();
}

}  // namespace

Napi::Value EngineWrap::Infer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!loaded_) throw Error(ErrorCode::Runtime, "the engine was disposed; load the plan again");
    auto* worker = new InferWorker(env, loaded_, info[0]);
    const Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  } catch (const Napi::Error& e) {
    return rejectedWith(env, e.Value());
  } catch (const Error& e) {
    return rejectedWith(env, engineError(env, e.code(), e.what()).Value());
  } catch (const std::exception& e) {
    // bad_alloc or length_error while making the output arrays: a rejection, never std::terminate.
    return rejectedWith(env, engineError(env, ErrorCode::Runtime, e.what()).Value());
  }
}

Napi::Value EngineWrap::Dispose(const Napi::CallbackInfo& info) {
  loaded_.reset();
  return info.Env().Undefined();
}

}  // namespace trtfarm::addon
