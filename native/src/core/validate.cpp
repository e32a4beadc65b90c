#include "validate.h"

#include <cmath>
#include <map>
#include <stdexcept>

#include "build_cost.h"
#include "error.h"
#include "profile.h"
#include "shapes.h"
#include "weights.h"

namespace trtfarm {

namespace {

// Keeps element counts far from int64 overflow and from allocations no machine can make.
constexpr int64_t kMaxElements = int64_t{1} << 31;

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCode::Network, message); }

std::string describe(const LayerSpec& layer, size_t index) {
  return "layer " + std::to_string(index) + " '" + layer.name + "' (" + layerTypeName(layer.type) + ")";
}

void checkSize(const Dims& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d != kDynamic && d > kMaxElements) throw std::invalid_argument("dimension " + std::to_string(d) + " is too large");
    n *= d == kDynamic ? 1 : d;
    if (n > kMaxElements) throw std::invalid_argument("tensor " + formatDims(shape) + " is too large");
  }
}

void checkData(const char* what, const std::vector<float>& data, int64_t expected, const std::string& detail) {
  if (static_cast<int64_t>(data.size()) != expected)
    throw std::invalid_argument(std::string(what) + " has " + std::to_string(data.size()) + " values, expected " +
                                std::to_string(expected) + " (" + detail + ")");
  const size_t bad = firstNonFinite(data);
  if (bad < data.size())
    throw std::invalid_argument(std::string(what) + "[" + std::to_string(bad) + "] is not a finite number");
}

void checkInput(const InputSpec& input) {
  const std::string who = "input '" + input.name + "'";
  if (input.shape.empty()) fail(who + ": shape needs at least one dimension");
  for (size_t i = 0; i < input.shape.size(); ++i) {
    const int64_t d = input.shape[i];
    if (d == kDynamic && i > 0)
      fail(who + ": dimension " + std::to_string(i) + " of " + formatDims(input.shape) +
           " is -1; only the batch dimension (0) may be dynamic");
    if (d == 0 || d < kDynamic) fail(who + ": dimension " + std::to_string(i) + " is " + std::to_string(d) + ", must be positive");
  }
  try {
    checkSize(input.shape);
  } catch (const std::invalid_argument& e) {
    fail(who + ": " + e.what());
  }
}

size_t expectedInputs(LayerType type) {
  switch (type) {
    case LayerType::Constant: return 0;
    case LayerType::MatrixMultiply:
    case LayerType::ElementWise: return 2;
    default: return 1;
  }
}

Dims layerShape(const LayerSpec& layer, const std::vector<Dims>& in) {
  switch (layer.type) {
    case LayerType::FullyConnected: {
      const Dims out = fullyConnectedShape(in[0], layer.outputs);
      const int64_t k = numelPerBatch(Dims(in[0].begin() + 1, in[0].end()));
      if (layer.outputs > kMaxElements / k) throw std::invalid_argument("weights of outputs × K would be too large");
      const std::string wdetail = std::to_string(layer.outputs) + " outputs × K " + std::to_string(k);
      checkData("weights", layer.weights, layer.outputs * k, wdetail);
      if (layer.bias) checkData("bias", *layer.bias, layer.outputs, "one per output");
      return out;
    }
    case LayerType::Constant: {
      if (layer.shape.empty()) throw std::invalid_argument("shape needs at least one dimension");
      for (int64_t d : layer.shape)
        if (d <= 0) throw std::invalid_argument("shape " + formatDims(layer.shape) + " must have positive dimensions");
      checkSize(layer.shape);
      checkData("values", layer.values, numelPerBatch(layer.shape), "the product of shape " + formatDims(layer.shape));
      return layer.shape;
    }
    case LayerType::MatrixMultiply: return matrixMultiplyShape(in[0], in[1], layer.transposeA, layer.transposeB);
    case LayerType::ElementWise: return broadcastShape(in[0], in[1]);
    case LayerType::Activation:
      if (!std::isfinite(layer.alpha)) throw std::invalid_argument("alpha is not a finite number");
      return in[0];
    case LayerType::Reshape: return reshapeShape(in[0], layer.shape);
  }
  throw std::invalid_argument("unknown layer type");
}


// fp16/bf16 builds store the data reduced: a finite value that rounds to infinity would poison
// every output, so it is refused here, before a build is queued, naming the layer.
// fp8 builds keep everything but FC weights (scaled per channel into e4m3) in fp16.
void checkReducedRange(const LayerSpec& layer, const std::string& who, Precision precision) {
  const bool half = precision == Precision::FP16 || precision == Precision::FP8;
  const auto check = [&](const std::vector<float>& data, const char* field) {
    const size_t i = firstOverflow(reinterpret_cast<const uint8_t*>(data.data()), data.size(), storageType(precision));
    if (i < data.size())
      fail(who + ": " + field + "[" + std::to_string(i) + "] = " + std::to_string(data[i]) + " is outside the " +
           (half ? "fp16" : "bf16") + " range; build with a wider precision");
  };
  if (precision != Precision::FP8) check(layer.weights, "weights");
  if (layer.bias) check(*layer.bias, "bias");
  check(layer.values, "values");
}

}  // namespace

CheckedNetwork validate(const NetworkSpec& network, const BuildConfig& config) {
  CheckedNetwork net;
  std::map<std::string, int32_t> index;
  std::map<std::string, size_t> later;  // layer names, to tell forward references from unknown names
  for (size_t i = 0; i < network.layers.size(); ++i) later.emplace(network.layers[i].name, i);

  if (config.precision == Precision::FP8 && config.backend != "cuda")
    fail("fp8 is a cuda precision: the " + config.backend +
         " backend computes fp32, tf32, fp16 or bf16; build fp8 with backend 'cuda' (or 'auto' on a farm with a cuda "
         "worker)");
  if (network.inputs.empty()) fail("the network needs at least one input");
  if (network.layers.empty()) fail("the network needs at least one layer");
  for (const InputSpec& input : network.inputs) {
    if (input.name.empty()) fail("an input has an empty name");
    if (!index.emplace(input.name, static_cast<int32_t>(net.names.size())).second)
      fail("input name '" + input.name + "' is used twice");
    checkInput(input);
    net.names.push_back(input.name);
    net.shapes.push_back(input.shape);
    net.constant.push_back(false);
  }

  for (size_t li = 0; li < network.layers.size(); ++li) {
    const LayerSpec& layer = network.layers[li];
    const std::string who = describe(layer, li);
    if (layer.name.empty()) fail("layer " + std::to_string(li) + " has an empty name");
    if (index.count(layer.name)) fail(who + ": the name '" + layer.name + "' is already used by an earlier input or layer");
    if (config.precision == Precision::FP16 || config.precision == Precision::BF16 || config.precision == Precision::FP8)
      checkReducedRange(layer, who, config.precision);

    const size_t want = expectedInputs(layer.type);
    std::vector<int32_t> ins;
    if (!layer.inputs) {
      if (want == 2) fail(who + ": needs inputs [a, b]");
      if (want == 1) ins.push_back(li == 0 ? 0 : static_cast<int32_t>(net.names.size()) - 1);
    } else {
      if (layer.inputs->size() != want)
        fail(who + ": takes " + std::to_string(want) + " input" + (want == 1 ? "" : "s") + ", got " +
             std::to_string(layer.inputs->size()));
      for (const std::string& name : *layer.inputs) {
        const auto found = index.find(name);
        if (found != index.end()) {
          ins.push_back(found->second);
        } else if (name == layer.name) {
          fail(who + ": takes its own output '" + name + "' as input (cycles are not allowed)");
        } else if (later.count(name)) {
          fail(who + ": input '" + name + "' is layer " + std::to_string(later[name]) +
               ", which comes later; a layer may only use network inputs and earlier layers (no cycles)");
        } else {
          fail(who + ": unknown input '" + name + "'");
        }
      }
    }

    std::vector<Dims> inShapes;
    bool constant = true;
    for (int32_t t : ins) {
      inShapes.push_back(net.shapes[t]);
      constant = constant && net.constant[t];
    }
    Dims shape;
    try {
      shape = layerShape(layer, inShapes);
      checkSize(shape);
    } catch (const std::invalid_argument& e) {
      fail(who + ": " + e.what());
    }
    index.emplace(layer.name, static_cast<int32_t>(net.names.size()));
    net.names.push_back(layer.name);
    net.shapes.push_back(shape);
    net.constant.push_back(constant);
    net.layerInputs.push_back(ins);
  }

  const std::vector<std::string> outputs = network.outputs ? *network.outputs
                                                           : std::vector<std::string>{network.layers.back().name};
  if (outputs.empty()) fail("the network needs at least one output");
  for (const std::string& name : outputs) {
    const auto found = index.find(name);
    if (found == index.end()) fail("output '" + name + "' is not a layer of the network");
    const int32_t t = found->second;
    if (t < static_cast<int32_t>(network.inputs.size())) fail("output '" + name + "' is a network input, not a layer");
    if (net.constant[t]) fail("output '" + name + "' is constant: an output must depend on a network input");
    for (int32_t o : net.outputs)
      if (o == t) fail("output '" + name + "' is listed twice");
    net.outputs.push_back(t);
  }

  net.batch = checkProfile(network.inputs, config.profile, net.inputDescs);
  for (size_t t = 0; t < net.shapes.size(); ++t)
    if (isDynamic(net.shapes[t]) && net.batch.max > kMaxElements / numelPerBatch(net.shapes[t]))
      fail("tensor '" + net.names[t] + "' " + formatDims(net.shapes[t]) + " is too large at the profile's max batch " +
           std::to_string(net.batch.max));
  for (int32_t t : net.outputs) net.outputDescs.push_back(TensorDesc{net.names[t], net.shapes[t], {}});
  checkBuildLimits(estimateBuildCost(network, net, config.precision), config.limits);
  return net;
}

}  // namespace trtfarm
