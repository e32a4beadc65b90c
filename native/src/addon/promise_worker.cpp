#include "promise_worker.h"

#include "errors.h"

namespace trtfarm::addon {

void PromiseWorker::Execute() {
  try {
    Run();
  } catch (const Error& e) {
    code_ = e.code();
    limit_ = e.limit();
    SetError(e.what());
  } catch (const std::exception& e) {
    SetError(e.what());
  }
}

void PromiseWorker::OnOK() {
  Finish();
  try {
    deferred_.Resolve(Resolve(Env()));
  } catch (const Error& e) {
    deferred_.Reject(engineError(Env(), e.code(), e.what(), e.limit()).Value());
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  }
}

void PromiseWorker::OnError(const Napi::Error& error) {
  Finish();
  deferred_.Reject(engineError(Env(), code_, error.Message(), limit_).Value());
}

}  // namespace trtfarm::addon
