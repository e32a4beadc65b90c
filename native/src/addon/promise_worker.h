// An AsyncWorker settling a promise: Run() on a libuv thread, Resolve() back on the JS thread.
// Core errors reject with their code; anything else rejects as E_RUNTIME.
#pragma once

#include <napi.h>

#include "core/error.h"

namespace trtfarm::addon {

class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  virtual void Run() = 0;                       // worker thread: no JS access
  virtual Napi::Value Resolve(Napi::Env env) = 0;  // JS thread
  // JS thread, after either outcome: release what the JS side lent the worker.
  virtual void Finish() {}

 private:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

  Napi::Promise::Deferred deferred_;
  ErrorCode code_ = ErrorCode::Runtime;
  std::string limit_;
};

}  // namespace trtfarm::addon
