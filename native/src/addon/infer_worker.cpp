#include "infer_worker.h"

#include "core/input_binding.h"
#include "core/shapes.h"
#include "js_read.h"
#include "output_arrays.h"

namespace trtfarm::addon {

InferWorker::InferWorker(Napi::Env env, std::shared_ptr<LoadedPlan> loaded, const Napi::Value& inputs)
    : PromiseWorker(env), loaded_(std::move(loaded)) {
  const JsReader read{ErrorCode::Input};
  const Napi::Object object = read.object(inputs, "inputs");
  const Napi::Array names = object.GetPropertyNames();
  std::vector<std::pair<std::string, Dims>> given;
  std::vector<Napi::Object> tensors;
  for (uint32_t i = 0; i < names.Length(); ++i) {
    const std::string name = names.Get(i).As<Napi::String>().Utf8Value();
    const Napi::Object tensor = read.object(object.Get(name), "input '" + name + "'");
    const Dims shape = read.dims(tensor.Get("shape"), "input '" + name + "': shape");
    for (int64_t d : shape)
      if (d < 1) read.fail("input '" + name + "': shape " + formatDims(shape) + " must have positive dimensions");
    given.emplace_back(name, shape);
    tensors.push_back(tensor);
  }
  const Plan& plan = loaded_->plan;
  const InputBinding binding = bindInputs(plan, given);
  batch_ = binding.batch;
  for (size_t i : binding.order) {
    const std::string& name = given[i].first;
    const Napi::Float32Array data = read.float32Array(tensors[i].Get("data"), "input '" + name + "': data");
    const int64_t want = numelPerBatch(given[i].second);
    if (static_cast<int64_t>(data.ElementLength()) != want)
      read.fail("input '" + name + "' has " + std::to_string(data.ElementLength()) + " values but shape " +
                formatDims(given[i].second) + " needs " + std::to_string(want));
    // Data() includes the view's byteOffset, and moves a small on-heap array's bytes off the
    // V8 heap, where the garbage collector cannot move them while the worker reads them.
    inputs_.push_back(data.Data());
    inputArrays_.push_back(Napi::Persistent(data));
  }
  for (const TensorDesc& out : plan.outputs) {
    Napi::Float32Array data = newOutputArray(env, static_cast<size_t>(numelPerBatch(atBatch(out.shape, batch_))));
    outputs_.push_back(data.Data());
    outputArrays_.push_back(Napi::Persistent(data));
  }
}

void InferWorker::Run() { loaded_->engine->run(batch_, inputs_, outputs_); }

void InferWorker::Finish() { inputArrays_.clear(); }

Napi::Value InferWorker::Resolve(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  const Plan& plan = loaded_->plan;
  for (size_t i = 0; i < plan.outputs.size(); ++i) {
    const Dims shape = atBatch(plan.outputs[i].shape, batch_);
    Napi::Array jsShape = Napi::Array::New(env, shape.size());
    for (size_t d = 0; d < shape.size(); ++d) jsShape.Set(static_cast<uint32_t>(d), Napi::Number::New(env, double(shape[d])));
    Napi::Object tensor = Napi::Object::New(env);
    tensor.Set("shape", jsShape);
    tensor.Set("data", outputArrays_[i].Value());
    result.Set(plan.outputs[i].name, tensor);
  }
  return result;
}

}  // namespace trtfarm::addon
