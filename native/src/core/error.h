#pragma once

#include <stdexcept>
#include <string>

namespace trtfarm {

// The kind tells callers whose fault it is: Network/Input/Plan/Compat are the caller's
// (never retried, 4xx), Backend/Runtime are the machine's. Cancelled: the caller stopped a build.
enum class ErrorCode { Network, Input, Plan, Compat, Backend, Runtime, Cancelled };

class Error : public std::runtime_error {
 public:
  // `limit`: the BuildLimits field a Network error is over ("planBytes"), so that callers can
  // answer it as too large (413) rather than malformed.
  Error(ErrorCode code, const std::string& message, std::string limit = {})
      : std::runtime_error(message), code_(code), limit_(std::move(limit)) {}
  ErrorCode code() const { return code_; }
  const std::string& limit() const { return limit_; }

 private:
  ErrorCode code_;
  std::string limit_;
};

}  // namespace trtfarm
