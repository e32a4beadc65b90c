#include <map>

#include "convert.h"
#include "js_read.h"

namespace trtfarm::addon {

namespace {

const JsReader read{ErrorCode::Network};

template <typename E>
E choose(const std::map<std::string, E>& choices, const std::string& value, const std::string& what) {
  const auto found = choices.find(value);
  if (found != choices.end()) return found->second;
  std::string names;
  for (const auto& [name, e] : choices) names += (names.empty() ? "" : ", ") + name;
  read.fail(what + " '" + value + "' is not one of: " + names);
}

const std::map<std::string, LayerType> kLayerTypes = {
    {"fullyConnected", LayerType::FullyConnected}, {"constant", LayerType::Constant},
    {"matrixMultiply", LayerType::MatrixMultiply}, {"elementWise", LayerType::ElementWise},
    {"activation", LayerType::Activation},         {"reshape", LayerType::Reshape}};
const std::map<std::string, BinaryOp> kBinaryOps = {
    {"sum", BinaryOp::Sum}, {"prod", BinaryOp::Prod}, {"sub", BinaryOp::Sub}, {"max", BinaryOp::Max}, {"min", BinaryOp::Min}};
const std::map<std::string, Activation> kActivations = {{"relu", Activation::Relu},
                                                        {"sigmoid", Activation::Sigmoid},
                                                        {"tanh", Activation::Tanh},
                                                        {"gelu", Activation::Gelu},
                                                        {"leakyRelu", Activation::LeakyRelu}};

LayerSpec layerFromJs(const Napi::Value& value, uint32_t index) {
  const Napi::Object o = read.object(value, "layers[" + std::to_string(index) + "]");
  LayerSpec layer;
  layer.name = read.string(o.Get("name"), "layers[" + std::to_string(index) + "].name");
  const std::string who = "layer " + std::to_string(index) + " '" + layer.name + "'";
  layer.type = choose(kLayerTypes, read.string(o.Get("type"), who + ": type"), who + ": type");
  if (o.Has("inputs") && !o.Get("inputs").IsUndefined()) layer.inputs = read.strings(o.Get("inputs"), who + ": inputs");
  switch (layer.type) {
    case LayerType::FullyConnected:
      layer.outputs = read.integer(o.Get("outputs"), who + ": outputs");
      layer.weights = read.floats(o.Get("weights"), who + ": weights");
      if (!o.Get("bias").IsUndefined()) layer.bias = read.floats(o.Get("bias"), who + ": bias");
      break;
    case LayerType::Constant:
      layer.shape = read.dims(o.Get("shape"), who + ": shape");
      layer.values = read.floats(o.Get("values"), who + ": values");
      break;
    case LayerType::Reshape: layer.shape = read.dims(o.Get("shape"), who + ": shape"); break;
    case LayerType::MatrixMultiply:
      if (!o.Get("transpose").IsUndefined()) {
        const Napi::Value t = o.Get("transpose");
        if (!t.IsArray() || t.As<Napi::Array>().Length() != 2) read.fail(who + ": transpose must be [boolean, boolean]");
        layer.transposeA = read.boolean(t.As<Napi::Array>().Get(0u), who + ": transpose[0]");
        layer.transposeB = read.boolean(t.As<Napi::Array>().Get(1u), who + ": transpose[1]");
      }
      break;
    case LayerType::ElementWise: layer.op = choose(kBinaryOps, read.string(o.Get("op"), who + ": op"), who + ": op"); break;
    case LayerType::Activation:
      layer.kind = choose(kActivations, read.string(o.Get("kind"), who + ": kind"), who + ": kind");
      if (!o.Get("alpha").IsUndefined()) layer.alpha = static_cast<float>(read.number(o.Get("alpha"), who + ": alpha"));
      break;
  }
  return layer;
}

}  // namespace

NetworkSpec networkFromJs(const Napi::Value& value) {
  const Napi::Object o = read.object(value, "network");
  NetworkSpec net;
  if (!o.Get("inputs").IsArray()) read.fail("network.inputs must be an array");
  const Napi::Array inputs = o.Get("inputs").As<Napi::Array>();
  for (uint32_t i = 0; i < inputs.Length(); ++i) {
    const std::string what = "inputs[" + std::to_string(i) + "]";
    const Napi::Object input = read.object(inputs.Get(i), what);
    net.inputs.push_back({read.string(input.Get("name"), what + ".name"), read.dims(input.Get("shape"), what + ".shape")});
  }
  if (!o.Get("layers").IsArray()) read.fail("network.layers must be an array");
  const Napi::Array layers = o.Get("layers").As<Napi::Array>();
  for (uint32_t i = 0; i < layers.Length(); ++i) net.layers.push_back(layerFromJs(layers.Get(i), i));
  if (!o.Get("outputs").IsUndefined()) net.outputs = read.strings(o.Get("outputs"), "network.outputs");
  return net;
}

}  // namespace trtfarm::addon
