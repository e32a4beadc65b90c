// A loaded tensorrt plan: the deserialized TensorRT engine, one execution context, device
// buffers sized for the profile's largest batch, and a stream. Runs are serialized by a mutex
// because one execution context cannot run two inferences at once.
#pragma once

#include <NvInferRuntime.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../core/backend.h"
#include "../gpu/device_buffer.h"
#include "../gpu/stream.h"

namespace trtfarm::tensorrt {

class TrtEngine : public Engine {
 public:
  // Throws Error{Plan} when TensorRT cannot deserialize the engine or it lacks a program tensor.
  TrtEngine(int device, const Plan& plan);

  void run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) override;

 private:
  struct Binding {
    std::string name;
    Dims shape;  // dim 0 kDynamic for a dynamic batch
    gpu::DeviceBuffer buffer;
  };
  std::vector<Binding> bind(const Program& program, const std::vector<int32_t>& values,
                            nvinfer1::TensorIOMode mode);

  int device_;  // first: initializing it makes the device current for the members after it
  BatchRange batch_;
  // Declaration order is destruction order reversed: context, then engine, then runtime.
  std::unique_ptr<nvinfer1::IRuntime> runtime_;
  std::unique_ptr<nvinfer1::ICudaEngine> engine_;
  std::unique_ptr<nvinfer1::IExecutionContext> context_;
  // Non-blocking, so that its runs never wait on work the process puts on the default stream.
  gpu::Stream stream_ = gpu::newStream();
  std::vector<Binding> inputs_, outputs_;
  std::mutex mutex_;
};

}  // namespace trtfarm::tensorrt
