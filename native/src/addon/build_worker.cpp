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
                         const Napi::Value& onProgress)
    : PromiseWorker(env), network_(std::move(network)), config_(std::move(config)), earlierPlan_(std::move(earlierPlan)) {
  if (onProgress.IsFunction()) {
    progress_ = Napi::ThreadSafeFunction::New(env, onProgress.As<Napi::Function>(), "trtfarm build progress", 0, 1);
    hasProgress_ = true;
  }
}

void BuildWorker::Run() {
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
  buildMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Napi::Value BuildWorker::Resolve(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("plan", Napi::Buffer<uint8_t>::Copy(env, bytes_.data(), bytes_.size()));
  result.Set("info", planInfoToJs(env, plan_, bytes_.size(), tactics_));
  result.Set("buildMs", Napi::Number::New(env, buildMs_));
  return result;
}

void BuildWorker::Finish() {
  if (hasProgress_) progress_.Release();
}

}  // namespace trtfarm::addon
