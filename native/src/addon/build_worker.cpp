#include "build_worker.h"

#include <chrono>

#include "core/builder.h"
#include "core/plan_format.h"
#include "plan_info.h"

namespace trtfarm::addon {

namespace {

struct Progress {
  double fraction;
  std::string stage;
};

}  // namespace

BuildWorker::BuildWorker(Napi::Env env, NetworkSpec network, BuildConfig config, std::vector<uint8_t> earlierPlan,
                         const Napi::Value& onProgress, const Napi::Value& signal)
    : PromiseWorker(env), network_(std::move(network)), config_(std::move(config)), earlierPlan_(std::move(earlierPlan)) {
  config_.cancel = cancel_.get();
  if (onProgress.IsFunction()) {
    progress_ = Napi::ThreadSafeFunction::New(env, onProgress.As<Napi::Function>(), "trtfarm build progress", 0, 1);
    hasProgress_ = true;
  }
  if (signal.IsObject()) {
    std::shared_ptr<CancelFlag> flag = cancel_;
    const Napi::Function onAbort =
        Napi::Function::New(env, [flag](const Napi::CallbackInfo&) { flag->set(); }, "trtfarmCancelBuild");
    Napi::Object once = Napi::Object::New(env);
    once.Set("once", true);
    const Napi::Object target = signal.As<Napi::Object>();
    target.Get("addEventListener").As<Napi::Function>().Call(target, {Napi::String::New(env, "abort"), onAbort, once});
    signal_ = Napi::Persistent(target);
    onAbort_ = Napi::Persistent(onAbort);
  }
}

void BuildWorker::Run() {
  throwIfCancelled(config_.cancel);
  const auto start = std::chrono::steady_clock::now();
  ProgressFn report;
  if (hasProgress_)
    report = [this](double fraction, const std::string& stage) {
      auto* update = new Progress{fraction, stage};
      const napi_status queued =
          progress_.NonBlockingCall(update, [](Napi::Env env, Napi::Function callback, Progress* p) {
            // env is null when the function is being torn down: then the update is only freed.
            if (env != nullptr && !callback.IsEmpty()) {
              try {
                callback.Call({Napi::Number::New(env, p->fraction), Napi::String::New(env, p->stage)});
              } catch (const Napi::Error&) {
                // A throwing progress listener must not fail the build it only observes.
              }
            }
            delete p;
          });
      if (queued != napi_ok) delete update;  // not queued: nobody else will free it
    };
  if (!earlierPlan_.empty()) {
    // Parsed here, off the JS thread: a plan can be hundreds of megabytes.
    Plan earlier = parsePlan(earlierPlan_.data(), earlierPlan_.size());
    if (earlier.backend != config_.backend)
      throw Error(ErrorCode::Plan, "options.reuseTacticsFrom is a " + earlier.backend + " plan; this build is for " +
                                       config_.backend);
    config_.reuseTactics = std::move(earlier.tactics);
    earlierPlan_.clear();
  }
  std::unique_ptr<Backend> backend = createBackend(config_.backend, config_.device);
  plan_ = buildPlan(network_, config_, *backend, report);
  bytes_ = serializePlan(plan_);
  plan_.formatVersion = kPlanFormatVersion;
  tactics_ = backend->describeTactics(plan_.tactics);
  timingCache_ = backend->timingCache(plan_.tactics);
  buildMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Napi::Value BuildWorker::Resolve(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("info", planInfoToJs(env, plan_, bytes_.size(), tactics_));
  // The serialized plan handed over, not copied: hundreds of MB on the JS thread otherwise.
  auto* owned = new std::vector<uint8_t>(std::move(bytes_));
  result.Set("plan", Napi::Buffer<uint8_t>::NewOrCopy(
                         env, owned->data(), owned->size(),
                         [](Napi::Env, uint8_t*, std::vector<uint8_t>* bytes) { delete bytes; }, owned));
  result.Set("buildMs", Napi::Number::New(env, buildMs_));
  if (timingCache_) {
    Napi::Array entries = Napi::Array::New(env, timingCache_->entries.size());
    for (size_t i = 0; i < timingCache_->entries.size(); ++i) {
      Napi::Object entry = Napi::Object::New(env);
      entry.Set("key", timingCache_->entries[i].key);
      entry.Set("tactic", timingCache_->entries[i].tactic);
      entries.Set(static_cast<uint32_t>(i), entry);
    }
    Napi::Object cache = Napi::Object::New(env);
    cache.Set("entries", entries);
    cache.Set("hits", Napi::Number::New(env, static_cast<double>(timingCache_->hits)));
    result.Set("timingCache", cache);
  }
  return result;
}

void BuildWorker::Finish() {
  if (hasProgress_) progress_.Release();
  if (!signal_.IsEmpty()) {
    // A signal aborted after the build settled must find nothing to do.
    const Napi::Object target = signal_.Value();
    try {
      target.Get("removeEventListener").As<Napi::Function>().Call(target, {Napi::String::New(Env(), "abort"), onAbort_.Value()});
    } catch (const Napi::Error&) {
      // A signal-like object whose removeEventListener throws must not keep the promise unsettled.
    }
    signal_.Reset();
    onAbort_.Reset();
  }
}

}  // namespace trtfarm::addon
