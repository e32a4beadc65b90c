// The network description as the core receives it: the contract's JSON (shared/network/spec.ts)
// after parsing. Nothing here is checked yet; validate() is the one place that checks it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "program.h"

namespace trtfarm {

enum class LayerType : uint8_t { FullyConnected, Constant, MatrixMultiply, ElementWise, Activation, Reshape };

struct InputSpec {
  std::string name;
  Dims shape;  // kDynamic only in dimension 0
};

struct LayerSpec {
  std::string name;
  LayerType type = LayerType::FullyConnected;
  std::optional<std::vector<std::string>> inputs;  // nullopt: the previous layer's output
  // fullyConnected
  int64_t outputs = 0;
  std::vector<float> weights;
  std::optional<std::vector<float>> bias;
  // constant (shape, values) and reshape (shape)
  Dims shape;
  std::vector<float> values;
  // matrixMultiply
  bool transposeA = false, transposeB = false;
  // elementWise
  BinaryOp op = BinaryOp::Sum;
  // activation
  Activation kind = Activation::Relu;
  float alpha = 0.01f;
};

struct NetworkSpec {
  std::vector<InputSpec> inputs;
  std::vector<LayerSpec> layers;
  std::optional<std::vector<std::string>> outputs;  // nullopt: the last layer
};

const char* layerTypeName(LayerType type);

}  // namespace trtfarm
