// A build's cancel flag: set on the JS thread when the caller's AbortSignal fires, read by the
// build's thread between passes, folded rows and autotuning candidates, so a cancelled build ends
// within one step and frees its worker thread.
#pragma once

#include <atomic>

#include "error.h"

namespace trtfarm {

class CancelFlag {
 public:
  void set() { set_.store(true, std::memory_order_relaxed); }
  bool isSet() const { return set_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> set_{false};
};

// Throws Error{Cancelled} when `flag` (null: a build nobody can cancel) is set.
inline void throwIfCancelled(const CancelFlag* flag) {
  if (flag != nullptr && flag->isSet()) throw Error(ErrorCode::Cancelled, "the build was cancelled");
}

}  // namespace trtfarm
