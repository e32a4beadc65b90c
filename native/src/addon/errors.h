// Engine errors as JS errors: an Error whose `code` is E_NETWORK, E_INPUT, E_PLAN, E_COMPAT,
// E_BACKEND, E_RUNTIME or E_CANCELLED (shared/engine/types.ts EngineErrorCode).
#pragma once

#include <napi.h>

#include "core/error.h"

namespace trtfarm::addon {

// `limit` (when not empty) becomes the error's `limit` property (Error::limit).
Napi::Error engineError(Napi::Env env, ErrorCode code, const std::string& message, const std::string& limit = {});

// Runs a synchronous export, turning core errors into coded JS exceptions.
template <typename Body>
Napi::Value withEngineErrors(Napi::Env env, Body&& body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const Error& e) {
    throw engineError(env, e.code(), e.what(), e.limit());
  } catch (const std::exception& e) {
    throw engineError(env, ErrorCode::Runtime, e.what());
  }
}

}  // namespace trtfarm::addon
