// Reading JS values into C++ with type checks. A wrong type throws Error{code} naming `what`,
// so that a malformed request is the caller's error (4xx), never a crash.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/program.h"

namespace trtfarm::addon {

struct JsReader {
  ErrorCode code;  // whose fault a wrong type is: Network for build arguments, Input for infer

  [[noreturn]] void fail(const std::string& message) const;
  Napi::Object object(const Napi::Value& value, const std::string& what) const;
  std::string string(const Napi::Value& value, const std::string& what) const;
  int64_t integer(const Napi::Value& value, const std::string& what) const;
  double number(const Napi::Value& value, const std::string& what) const;
  bool boolean(const Napi::Value& value, const std::string& what) const;
  Dims dims(const Napi::Value& value, const std::string& what) const;
  std::vector<std::string> strings(const Napi::Value& value, const std::string& what) const;
  // The array itself, not a copy: whoever reads it from a worker thread keeps a reference to it.
  Napi::Float32Array float32Array(const Napi::Value& value, const std::string& what) const;
  // Copies: the data must outlive the call and stay unchanged while a worker thread reads it.
  std::vector<float> floats(const Napi::Value& value, const std::string& what) const;
  std::vector<uint8_t> bytes(const Napi::Value& value, const std::string& what) const;
  // The same, not copied.
  Napi::Uint8Array uint8Array(const Napi::Value& value, const std::string& what) const;
};

}  // namespace trtfarm::addon
