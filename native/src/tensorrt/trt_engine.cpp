#include "trt_engine.h"

#include <algorithm>

#include "../core/input_binding.h"
#include "compat_key.h"
#include "error_logger.h"
#include "tactics_blob.h"
#include "trt_dims.h"

namespace trtfarm::tensorrt {
namespace {

int makeCurrent(int device) {
  gpu::check(cudaSetDevice(device), "cudaSetDevice");
  return device;
}

}  // namespace

TrtEngine::TrtEngine(int device, const Plan& plan) : device_(makeCurrent(device)), batch_(plan.batch) {
  const TacticsBlob tactics = unpackTactics(plan.tactics);
  ErrorLogger& logger = ErrorLogger::instance();
  logger.clear();
  runtime_.reset(nvinfer1::createInferRuntime(logger));
  if (!runtime_) logger.fail(ErrorCode::Backend, "tensorrt: cannot create a runtime");
  // A version-compatible engine carries the lean runtime that runs it: host code TensorRT
  // refuses to deserialize unless allowed. Our plans come from our own builders.
  if (isVersionCompatibleKey(plan.compatKey)) runtime_->setEngineHostCodeAllowed(true);
  engine_.reset(runtime_->deserializeCudaEngine(tactics.engine.data(), tactics.engine.size()));
  if (!engine_) logger.fail(ErrorCode::Plan, "tensorrt: cannot deserialize the plan's engine");
  context_.reset(engine_->createExecutionContext());
  if (!context_) logger.fail(ErrorCode::Runtime, "tensorrt: cannot create an execution context");
  inputs_ = bind(plan.program, plan.program.inputs, nvinfer1::TensorIOMode::kINPUT);
  outputs_ = bind(plan.program, plan.program.outputs, nvinfer1::TensorIOMode::kOUTPUT);
}

std::vector<TrtEngine::Binding> TrtEngine::bind(const Program& program, const std::vector<int32_t>& values,
                                                nvinfer1::TensorIOMode mode) {
  std::vector<Binding> bindings;
  bindings.reserve(values.size());
  for (int32_t index : values) {
    const Value& value = program.values.at(index);
    const char* name = value.name.c_str();
    if (engine_->getTensorIOMode(name) != mode || engine_->getTensorDataType(name) != nvinfer1::DataType::kFLOAT) {
      throw Error(ErrorCode::Plan, "tensorrt: the plan's engine has no fp32 " +
                                       std::string(mode == nvinfer1::TensorIOMode::kINPUT ? "input" : "output") +
                                       " '" + value.name + "'");
    }
    const size_t bytes = static_cast<size_t>(elementsAt(value.shape, batch_.max)) * sizeof(float);
    // A zero-byte tensor still needs a distinct non-null address for setTensorAddress.
    bindings.push_back(Binding{value.name, value.shape, gpu::DeviceBuffer(std::max<size_t>(bytes, 1))});
    // The buffers never move, so the addresses are set once for every run.
    if (!context_->setTensorAddress(name, bindings.back().buffer.get())) {
      ErrorLogger::instance().fail(ErrorCode::Runtime, "tensorrt: cannot bind tensor '" + value.name + "'");
    }
  }
  return bindings;
}

void TrtEngine::run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) {
  checkBatch(batch_, batch);
  if (inputs.size() != inputs_.size() || outputs.size() != outputs_.size()) {
    throw Error(ErrorCode::Input, "tensorrt: expected " + std::to_string(inputs_.size()) + " inputs and " +
                                      std::to_string(outputs_.size()) + " outputs");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  // The current device is per host thread, and runs come from whichever thread the caller has.
  gpu::check(cudaSetDevice(device_), "cudaSetDevice");
  ErrorLogger& logger = ErrorLogger::instance();
  logger.clear();
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const Dims shape = atBatch(inputs_[i].shape, batch);
    if (!context_->setInputShape(inputs_[i].name.c_str(), toTrtDims(shape))) {
      logger.fail(ErrorCode::Input, "tensorrt: input '" + inputs_[i].name + "' does not fit the plan's profile");
    }
    gpu::check(cudaMemcpyAsync(inputs_[i].buffer.get(), inputs[i], elementsAt(inputs_[i].shape, batch) * sizeof(float),
                               cudaMemcpyHostToDevice, stream_.get()),
               "copying an input to the device");
  }
  for (const Binding& output : outputs_) {
    // A shape TensorRT infers differently from the program's would overrun the host buffer.
    if (!sameDims(context_->getTensorShape(output.name.c_str()), atBatch(output.shape, batch))) {
      throw Error(ErrorCode::Runtime, "tensorrt: output '" + output.name + "' has another shape than the program's");
    }
  }
  if (!context_->enqueueV3(stream_.get())) logger.fail(ErrorCode::Runtime, "tensorrt: enqueueV3 failed");
  for (size_t i = 0; i < outputs_.size(); ++i) {
    gpu::check(cudaMemcpyAsync(outputs[i], outputs_[i].buffer.get(),
                               elementsAt(outputs_[i].shape, batch) * sizeof(float), cudaMemcpyDeviceToHost,
                               stream_.get()),
               "copying an output to the host");
  }
  gpu::check(cudaStreamSynchronize(stream_.get()), "running the engine");
}

}  // namespace trtfarm::tensorrt
