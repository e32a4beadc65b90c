// Forwards TensorRT's build phases to trtfarm's ProgressFn, so a build job's progress moves
// while TensorRT times tactics (the long part of a build), and the build's cancel flag back to
// TensorRT (stepComplete returning false stops the build). TensorRT may call it from several
// internal threads, hence the mutex.
#pragma once

#include <NvInfer.h>

#include <mutex>
#include <string>

#include "../core/backend.h"
#include "../core/cancel.h"

namespace trtfarm::tensorrt {

class BuildProgress : public nvinfer1::IProgressMonitor {
 public:
  // `cancel` may be null (a build nobody can cancel).
  BuildProgress(const ProgressFn& progress, const CancelFlag* cancel) : progress_(progress), cancel_(cancel) {}

  void phaseStart(char const* phaseName, char const* parentPhase, int32_t nbSteps) noexcept override;
  bool stepComplete(char const* phaseName, int32_t step) noexcept override;
  void phaseFinish(char const* phaseName) noexcept override;

 private:
  void report(double fraction, char const* stage) noexcept;

  const ProgressFn& progress_;
  const CancelFlag* cancel_;
  std::mutex mutex_;
  // Only top-level phases move the fraction; nested ones would make it jump back and forth.
  std::string topPhase_;
  int32_t topSteps_ = 0;
  // TensorRT's phase list is undocumented and may hold several top-level phases: the reported
  // fraction never goes back, so a job's progress only grows.
  double reported_ = 0.0;
};

}  // namespace trtfarm::tensorrt
