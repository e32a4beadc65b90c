// Validation and shape inference: each bad network is rejected with a message naming the layer
// and the problem; good ones get the contract's shapes.
#include <cmath>

#include "check.h"
#include "core/validate.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

BuildConfig dynamicConfig(int64_t min, int64_t opt, int64_t max) {
  BuildConfig config;
  config.profile["x"] = {{min, 3, 4, 5}, {opt, 3, 4, 5}, {max, 3, 4, 5}};
  return config;
}

LayerSpec layer(const std::string& name, LayerType type, std::vector<std::string> inputs = {}) {
  LayerSpec l = makeLayer(name, type);
  if (!inputs.empty()) l.inputs = inputs;
  return l;
}

NetworkSpec twoDimInput(int64_t k) {
  NetworkSpec net;
  net.inputs.push_back({"x", {2, k}});
  return net;
}

void shapesOfTheContract() {
  CHECK(validate(seed::fullyConnected(), {}).shapes.back() == (Dims{1, 2, 1, 1}));
  CHECK(validate(seed::matrixMultiply(), {}).shapes.back() == (Dims{1, 2}));
  const CheckedNetwork dyn = validate(seed::fullyConnected(-1), dynamicConfig(1, 4, 8));
  CHECK(dyn.shapes.back() == (Dims{-1, 2, 1, 1}));
  CHECK(dyn.batch.min == 1 && dyn.batch.opt == 4 && dyn.batch.max == 8);
  CHECK(validate(seed::matrixMultiply(-1), dynamicConfig(2, 2, 2)).shapes.back() == (Dims{-1, 2}));
}

void defaultInputsAndOutputs() {
  NetworkSpec net = twoDimInput(3);
  net.layers.push_back(layer("relu", LayerType::Activation));
  net.layers.push_back(layer("tanh", LayerType::Activation));
  const CheckedNetwork c = validate(net, {});
  CHECK(c.layerInputs[0] == std::vector<int32_t>{0});
  CHECK(c.layerInputs[1] == std::vector<int32_t>{1});
  CHECK(c.outputs == std::vector<int32_t>{2});
}

void graphErrors() {
  NetworkSpec net = twoDimInput(3);
  net.layers.push_back(layer("a", LayerType::Activation, {"nope"}));
  CHECK_THROWS(Network, "layer 0 'a' (activation): unknown input 'nope'", validate(net, {}));
  net.layers[0].inputs = std::vector<std::string>{"b"};
  net.layers.push_back(layer("b", LayerType::Activation, {"a"}));
  CHECK_THROWS(Network, "input 'b' is layer 1, which comes later", validate(net, {}));
  net.layers[0].inputs = std::vector<std::string>{"a"};
  CHECK_THROWS(Network, "takes its own output 'a'", validate(net, {}));
  net.layers[0].inputs.reset();
  net.layers[1].name = "a";
  CHECK_THROWS(Network, "layer 1 'a' (activation): the name 'a' is already used", validate(net, {}));
  net.layers[1].name = "x";
  CHECK_THROWS(Network, "the name 'x' is already used", validate(net, {}));
  net.layers.resize(1);
  net.outputs = std::vector<std::string>{"zzz"};
  CHECK_THROWS(Network, "output 'zzz' is not a layer", validate(net, {}));
  net.outputs = std::vector<std::string>{"a", "a"};
  CHECK_THROWS(Network, "output 'a' is listed twice", validate(net, {}));
  net.layers.push_back(layer("sum", LayerType::ElementWise));
  net.outputs.reset();
  CHECK_THROWS(Network, "layer 1 'sum' (elementWise): needs inputs [a, b]", validate(net, {}));
  net.layers[1].inputs = std::vector<std::string>{"a"};
  CHECK_THROWS(Network, "takes 2 inputs, got 1", validate(net, {}));
}

void countErrors() {
  NetworkSpec net = seed::fullyConnected();
  net.layers[0].weights.pop_back();
  CHECK_THROWS(Network, "layer 0 'fc' (fullyConnected): weights has 119 values, expected 120 (2 outputs × K 60)",
               validate(net, {}));
  net = seed::fullyConnected();
  net.layers[0].bias = std::vector<float>{1, 2, 3};
  CHECK_THROWS(Network, "bias has 3 values, expected 2", validate(net, {}));
  net = seed::fullyConnected();
  net.layers[0].weights[7] = NAN;
  CHECK_THROWS(Network, "weights[7] is not a finite number", validate(net, {}));
  net = seed::matrixMultiply();
  net.layers[1].values.push_back(1);
  CHECK_THROWS(Network, "layer 1 'w' (constant): values has 121 values, expected 120", validate(net, {}));
  net = seed::matrixMultiply();
  net.layers[1].values[0] = INFINITY;
  CHECK_THROWS(Network, "values[0] is not a finite number", validate(net, {}));
}

void shapeErrors() {
  NetworkSpec net = seed::fullyConnected();
  net.inputs[0].shape = {1, -1, 4, 5};
  CHECK_THROWS(Network, "only the batch dimension (0) may be dynamic", validate(net, {}));
  net.inputs[0].shape = {1, 0, 4, 5};
  CHECK_THROWS(Network, "dimension 1 is 0, must be positive", validate(net, {}));
  net = seed::matrixMultiply();
  net.layers[2].transposeB = false;
  CHECK_THROWS(Network, "layer 2 'mm' (matrixMultiply): inner dimensions differ", validate(net, {}));
  net = seed::matrixMultiply();
  net.layers[3].shape = {1, 3};
  net.layers[3].values = {0, 0, 0};
  CHECK_THROWS(Network, "layer 4 'sum' (elementWise): shapes (1, 2) and (1, 3) are not broadcastable", validate(net, {}));
  net = seed::matrixMultiply();
  net.layers[0].shape = {0, 7, -1};
  CHECK_THROWS(Network, "layer 0 'flat' (reshape): cannot infer -1", validate(net, {}));
  net.layers[0].shape = {0, 61};
  CHECK_THROWS(Network, "holds 61 elements", validate(net, {}));
  net.layers[0].shape = {-1, -1};
  CHECK_THROWS(Network, "more than one -1", validate(net, {}));
}

void dynamicBatchErrors() {
  NetworkSpec net = seed::matrixMultiply(-1);
  CHECK_THROWS(Network, "input 'x' has a dynamic batch (-1) and needs a profile", validate(net, {}));
  CHECK_THROWS(Network, "only the batch dimension may vary",
               validate(net, [] {
                 BuildConfig c;
                 c.profile["x"] = {{1, 3, 4, 5}, {2, 3, 4, 6}, {4, 3, 4, 5}};
                 return c;
               }()));
  CHECK_THROWS(Network, "needs min ≤ opt ≤ max", validate(net, dynamicConfig(4, 2, 8)));
  CHECK_THROWS(Network, "batch must be at least 1", validate(net, dynamicConfig(0, 2, 8)));
  BuildConfig unknown = dynamicConfig(1, 2, 8);
  unknown.profile["y"] = unknown.profile["x"];
  CHECK_THROWS(Network, "the profile names 'y', which is not a network input", validate(net, unknown));
  net.layers[0].shape = {2, -1};
  CHECK_THROWS(Network, "must keep the batch in dimension 0", validate(net, dynamicConfig(1, 2, 8)));
  net.layers[0].shape = {-1, 30};
  CHECK_THROWS(Network, "the batch must stay unscaled in dimension 0", validate(net, dynamicConfig(1, 2, 8)));
  // (N,60)ᵀ · (N,60) would contract over the batch.
  net = seed::matrixMultiply(-1);
  net.layers[2].inputs = std::vector<std::string>{"flat", "flat"};
  net.layers[2].transposeA = true;
  net.layers[2].transposeB = false;
  CHECK_THROWS(Network, "the contracted dimension cannot be the dynamic batch", validate(net, dynamicConfig(1, 2, 8)));
  net.layers[2].transposeA = false;
  net.layers[2].transposeB = true;
  CHECK_THROWS(Network, "would move the dynamic batch to dimension 1", validate(net, dynamicConfig(1, 2, 8)));
}

}  // namespace

// fp8 is the cuda backend's: the others refuse it before anything is built, naming cuda.
void fp8OnlyForCuda() {
  BuildConfig config;
  config.precision = Precision::FP8;
  for (const char* backend : {"cpu", "tensorrt"}) {
    config.backend = backend;
    CHECK_THROWS(Network, std::string("fp8 is a cuda precision: the ") + backend + " backend computes",
                 validate(seed::fullyConnected(), config));
  }
  config.backend = "cuda";
  CHECK(validate(seed::fullyConnected(), config).outputDescs.size() == 1);
}

int main() {
  shapesOfTheContract();
  defaultInputsAndOutputs();
  graphErrors();
  countErrors();
  shapeErrors();
  dynamicBatchErrors();
  fp8OnlyForCuda();
  TEST_MAIN_END();
}
