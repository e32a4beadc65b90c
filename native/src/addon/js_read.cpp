#include "js_read.h"

#include <cmath>
#include <cstring>

namespace trtfarm::addon {

void JsReader::fail(const std::string& message) const { throw Error(code, message); }

Napi::Object JsReader::object(const Napi::Value& value, const std::string& what) const {
  if (!value.IsObject() || value.IsArray()) fail(what + " must be an object");
  return value.As<Napi::Object>();
}

std::string JsReader::string(const Napi::Value& value, const std::string& what) const {
  if (!value.IsString()) fail(what + " must be a string");
  return value.As<Napi::String>().Utf8Value();
}

double JsReader::number(const Napi::Value& value, const std::string& what) const {
  if (!value.IsNumber()) fail(what + " must be a number");
  return value.As<Napi::Number>().DoubleValue();
}

int64_t JsReader::integer(const Napi::Value& value, const std::string& what) const {
  const double d = number(value, what);
  if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9007199254740991.0) fail(what + " must be an integer");
  return static_cast<int64_t>(d);
}

bool JsReader::boolean(const Napi::Value& value, const std::string& what) const {
  if (!value.IsBoolean()) fail(what + " must be true or false");
  return value.As<Napi::Boolean>().Value();
}

Dims JsReader::dims(const Napi::Value& value, const std::string& what) const {
  if (!value.IsArray()) fail(what + " must be an array of integers");
  const Napi::Array array = value.As<Napi::Array>();
  Dims out;
  for (uint32_t i = 0; i < array.Length(); ++i) out.push_back(integer(array.Get(i), what + "[" + std::to_string(i) + "]"));
  return out;
}

std::vector<std::string> JsReader::strings(const Napi::Value& value, const std::string& what) const {
  if (!value.IsArray()) fail(what + " must be an array of strings");
  const Napi::Array array = value.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < array.Length(); ++i) out.push_back(string(array.Get(i), what + "[" + std::to_string(i) + "]"));
  return out;
}

Napi::Float32Array JsReader::float32Array(const Napi::Value& value, const std::string& what) const {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    fail(what + " must be a Float32Array");
  return value.As<Napi::Float32Array>();
}

std::vector<float> JsReader::floats(const Napi::Value& value, const std::string& what) const {
  const Napi::Float32Array array = float32Array(value, what);
  return std::vector<float>(array.Data(), array.Data() + array.ElementLength());
}

Napi::Uint8Array JsReader::uint8Array(const Napi::Value& value, const std::string& what) const {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    fail(what + " must be a Uint8Array or Buffer");
  return value.As<Napi::Uint8Array>();
}

std::vector<uint8_t> JsReader::bytes(const Napi::Value& value, const std::string& what) const {
  const Napi::Uint8Array array = uint8Array(value, what);
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ElementLength());
}

}  // namespace trtfarm::addon
