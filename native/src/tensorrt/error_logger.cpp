#include "error_logger.h"

namespace trtfarm::tensorrt {
namespace {

// Per thread, because builds and runs on different threads each want their own errors;
// TensorRT reports an API call's errors on the thread that made the call.
thread_local std::string collected;
// Errors TensorRT logs on its own worker threads are never taken: the cap keeps them from growing.
constexpr size_t kMaxCollected = 4096;

}  // namespace

ErrorLogger& ErrorLogger::instance() {
  static ErrorLogger logger;
  return logger;
}

void ErrorLogger::log(Severity severity, nvinfer1::AsciiChar const* message) noexcept {
  if (severity != Severity::kERROR && severity != Severity::kINTERNAL_ERROR) return;
  if (collected.size() >= kMaxCollected) return;
  try {
    if (!collected.empty()) collected += "; ";
    collected += message;
  } catch (...) {
    // Out of memory while logging: the failing call is still reported, just without the text.
  }
}

void ErrorLogger::clear() { collected.clear(); }

void ErrorLogger::fail(ErrorCode code, const std::string& what) {
  std::string message = what;
  if (!collected.empty()) message += ": " + collected;
  collected.clear();
  throw Error(code, message);
}

}  // namespace trtfarm::tensorrt
