// The ILogger handed to TensorRT. It keeps error messages so that a failed TensorRT call can
// be reported as a trtfarm::Error saying what TensorRT said, instead of a bare null pointer.
#pragma once

#include <NvInferRuntime.h>

#include <string>

#include "../core/error.h"

namespace trtfarm::tensorrt {

class ErrorLogger : public nvinfer1::ILogger {
 public:
  // One logger for the whole process: TensorRT builders and runtimes must not outlive the
  // logger they were given, and engines live in caches with no fixed end.
  static ErrorLogger& instance();

  void log(Severity severity, nvinfer1::AsciiChar const* message) noexcept override;
  // Forgets what this thread collected so far (before a call whose errors we want alone).
  void clear();
  // Throws Error{code} with `what`, followed by the errors TensorRT logged on this thread.
  [[noreturn]] void fail(ErrorCode code, const std::string& what);
};

}  // namespace trtfarm::tensorrt
