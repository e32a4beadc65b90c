#include "errors.h"

namespace trtfarm::addon {

namespace {

const char* codeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::Network: return "E_NETWORK";
    case ErrorCode::Input: return "E_INPUT";
    case ErrorCode::Plan: return "E_PLAN";
    case ErrorCode::Compat: return "E_COMPAT";
    case ErrorCode::Backend: return "E_BACKEND";
    case ErrorCode::Runtime: return "E_RUNTIME";
    case ErrorCode::Cancelled: return "E_CANCELLED";
  }
  return "E_RUNTIME";
}

}  // namespace

Napi::Error engineError(Napi::Env env, ErrorCode code, const std::string& message, const std::string& limit) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, codeName(code)));
  if (!limit.empty()) error.Set("limit", Napi::String::New(env, limit));
  return error;
}

}  // namespace trtfarm::addon
