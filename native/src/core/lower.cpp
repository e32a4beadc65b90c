#include "lower.h"

#include "weights.h"

namespace trtfarm {

namespace {

int32_t addWeights(Program& program, const Dims& shape, const std::vector<float>& values, DType dtype = DType::F32) {
  program.weights.push_back(program.shapesOnly ? Weights{dtype, shape, {}} : makeWeights(shape, values, dtype));
  return static_cast<int32_t>(program.weights.size()) - 1;
}

}  // namespace

Program lowerNetwork(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision, bool shapesOnly) {
  Program program;
  program.shapesOnly = shapesOnly;
  for (size_t t = 0; t < checked.names.size(); ++t) program.values.push_back(Value{checked.names[t], checked.shapes[t], -1});
  for (size_t i = 0; i < network.inputs.size(); ++i) program.inputs.push_back(static_cast<int32_t>(i));
  program.outputs = checked.outputs;

  for (size_t li = 0; li < network.layers.size(); ++li) {
    const LayerSpec& layer = network.layers[li];
    const int32_t out = static_cast<int32_t>(network.inputs.size() + li);
    Op op;
    op.inputs = checked.layerInputs[li];
    op.output = out;
    switch (layer.type) {
      case LayerType::Constant:
        program.values[out].constant = addWeights(program, layer.shape, layer.values);
        continue;
      case LayerType::FullyConnected:
        op.kind = Op::Kind::Gemm;
        op.n = layer.outputs;
        op.k = static_cast<int64_t>(layer.weights.size()) / layer.outputs;
        // A constant input folds this layer on the host, which reads the weights in fp32.
        op.weight = addWeights(program, {op.n, op.k}, layer.weights,
                               checked.constant[op.inputs[0]] ? DType::F32 : storageType(precision));
        if (layer.bias) op.bias = addWeights(program, {op.n}, *layer.bias);
        break;
      case LayerType::MatrixMultiply:
        op.kind = Op::Kind::MatMul;
        op.transposeA = layer.transposeA;
        op.transposeB = layer.transposeB;
        break;
      case LayerType::ElementWise:
        op.kind = Op::Kind::Binary;
        op.binary = layer.op;
        break;
      case LayerType::Activation:
        op.kind = Op::Kind::Unary;
        op.activation = layer.kind;
        op.alpha = layer.alpha;
        break;
      case LayerType::Reshape:
        op.kind = Op::Kind::Alias;
        break;
    }
    program.ops.push_back(op);
  }
  return program;
}

}  // namespace trtfarm
