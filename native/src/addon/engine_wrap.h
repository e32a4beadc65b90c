// The JS Engine object (shared/engine/types.ts): info, infer(inputs) → Promise, dispose().
#pragma once

#include <napi.h>

#include <memory>

#include "registry/runtime.h"

namespace trtfarm::addon {

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  // A new JS Engine owning `loaded`; `constructor` is the class DefineClass returned.
  static Napi::Object Create(const Napi::Function& constructor, std::shared_ptr<LoadedPlan> loaded, Napi::Object info);

  explicit EngineWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Infer(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);

  // Shared with running inferences, so dispose() during one frees the engine after it ends.
  std::shared_ptr<LoadedPlan> loaded_;
  Napi::ObjectReference info_;
};

}  // namespace trtfarm::addon
