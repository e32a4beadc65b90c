#include "build_progress.h"

#include <algorithm>

namespace trtfarm::tensorrt {

void BuildProgress::phaseStart(char const* phaseName, char const* parentPhase, int32_t nbSteps) noexcept {
  if (parentPhase != nullptr) return;
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    topPhase_ = phaseName;
  } catch (...) {
    return;
  }
  topSteps_ = nbSteps;
  report(0.0, phaseName);
}

bool BuildProgress::stepComplete(char const* phaseName, int32_t step) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (topSteps_ > 0 && topPhase_ == phaseName) {
    report(std::min(1.0, static_cast<double>(step + 1) / topSteps_), phaseName);
  }
  return cancel_ == nullptr || !cancel_->isSet();
}

void BuildProgress::phaseFinish(char const* phaseName) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (topPhase_ == phaseName) topSteps_ = 0;
}

void BuildProgress::report(double fraction, char const* stage) noexcept {
  if (!progress_) return;
  reported_ = std::max(reported_, fraction);
  try {
    progress_(reported_, stage);
  } catch (...) {
    // TensorRT calls us through noexcept; a failing progress sink must not end the build.
  }
}

}  // namespace trtfarm::tensorrt
