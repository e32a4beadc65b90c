#pragma once

#include <stdexcept>
#include <string>

namespace trtfarm {

// The kind tells callers whose fault it is: Network/Input/Plan/Compat are the caller's
// (never retried, 4xx), Backend/Runtime are the machine's. Cancelled: the caller stopped a build.
enum class ErrorCode { Network, Input, Plan, Compat, Backend, Runtime, Cancelled };

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace trtfarm
