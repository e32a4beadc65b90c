// The seed's network in its two forms: one fullyConnected layer, or reshape → constant W →
// matrixMultiply (transpose b) → constant b → elementWise sum. Input (1,3,4,5) of 0..59.
#pragma once

#include <numeric>

#include "core/network.h"

inline trtfarm::LayerSpec makeLayer(const std::string& name, trtfarm::LayerType type) {
  trtfarm::LayerSpec layer;
  layer.name = name;
  layer.type = type;
  return layer;
}

namespace seed {

inline std::vector<float> weights() {
  std::vector<float> w(120, 1.0f);
  std::fill(w.begin() + 60, w.end(), -1.0f);
  return w;
}

inline std::vector<float> input() {
  std::vector<float> x(60);
  std::iota(x.begin(), x.end(), 0.0f);
  return x;
}

inline trtfarm::NetworkSpec fullyConnected(int64_t batch = 1) {
  trtfarm::NetworkSpec net;
  net.inputs.push_back({"x", {batch, 3, 4, 5}});
  trtfarm::LayerSpec fc;
  fc.name = "fc";
  fc.type = trtfarm::LayerType::FullyConnected;
  fc.outputs = 2;
  fc.weights = weights();
  fc.bias = std::vector<float>{0, 0};
  net.layers.push_back(fc);
  return net;
}

inline trtfarm::NetworkSpec matrixMultiply(int64_t batch = 1) {
  using trtfarm::LayerSpec;
  using trtfarm::LayerType;
  trtfarm::NetworkSpec net;
  net.inputs.push_back({"x", {batch, 3, 4, 5}});
  LayerSpec flat = makeLayer("flat", LayerType::Reshape);
  flat.shape = {0, -1};
  LayerSpec w = makeLayer("w", LayerType::Constant);
  w.shape = {2, 60};
  w.values = weights();
  LayerSpec mm = makeLayer("mm", LayerType::MatrixMultiply);
  mm.inputs = std::vector<std::string>{"flat", "w"};
  mm.transposeB = true;
  LayerSpec b = makeLayer("b", LayerType::Constant);
  b.shape = {1, 2};
  b.values = {0, 0};
  LayerSpec sum = makeLayer("sum", LayerType::ElementWise);
  sum.inputs = std::vector<std::string>{"mm", "b"};
  net.layers = {flat, w, mm, b, sum};
  return net;
}

}  // namespace seed
