#include "network_translator.h"

#include <algorithm>
#include <set>

#include "../core/error.h"
#include "../core/weights.h"
#include "error_logger.h"
#include "trt_dims.h"

namespace trtfarm::tensorrt {
namespace {

using nvinfer1::DataType;
using nvinfer1::ITensor;

DataType computeTypeOf(Precision precision) {
  switch (precision) {
    case Precision::FP16: return DataType::kHALF;
    case Precision::BF16: return DataType::kBF16;
    case Precision::FP32:
    case Precision::TF32:  // TF32 is a builder flag on fp32 tensors, not a type
    case Precision::FP8: break;  // refused at validation: fp8 is a cuda-backend precision
  }
  return DataType::kFLOAT;
}

DataType trtTypeOf(DType dtype) {
  switch (dtype) {
    case DType::F16: return DataType::kHALF;
    case DType::BF16: return DataType::kBF16;
    case DType::F8E4M3: return DataType::kFP8;
    case DType::F32: break;
  }
  return DataType::kFLOAT;
}

size_t elementSize(DType dtype) { return dtypeSize(dtype); }

nvinfer1::ActivationType activationTypeOf(Activation kind) {
  switch (kind) {
    case Activation::Sigmoid: return nvinfer1::ActivationType::kSIGMOID;
    case Activation::Tanh: return nvinfer1::ActivationType::kTANH;
    case Activation::Gelu: return nvinfer1::ActivationType::kGELU_ERF;  // ONNX Gelu's default form
    case Activation::LeakyRelu: return nvinfer1::ActivationType::kLEAKY_RELU;
    case Activation::Relu:
    case Activation::None: break;
  }
  return nvinfer1::ActivationType::kRELU;
}

nvinfer1::ElementWiseOperation elementWiseOf(BinaryOp op) {
  switch (op) {
    case BinaryOp::Prod: return nvinfer1::ElementWiseOperation::kPROD;
    case BinaryOp::Sub: return nvinfer1::ElementWiseOperation::kSUB;
    case BinaryOp::Max: return nvinfer1::ElementWiseOperation::kMAX;
    case BinaryOp::Min: return nvinfer1::ElementWiseOperation::kMIN;
    case BinaryOp::Sum: break;
  }
  return nvinfer1::ElementWiseOperation::kSUM;
}

nvinfer1::MatrixOperation matrixOperation(bool transpose) {
  return transpose ? nvinfer1::MatrixOperation::kTRANSPOSE : nvinfer1::MatrixOperation::kNONE;
}

}  // namespace

NetworkTranslator::NetworkTranslator(const Program& program, Precision precision,
                                     nvinfer1::INetworkDefinition& network)
    : program_(program), computeType_(computeTypeOf(precision)), network_(network),
      tensors_(program.values.size(), nullptr) {}

void NetworkTranslator::translate() {
  ErrorLogger::instance().clear();
  addInputs();
  for (const Op& op : program_.ops) addOp(op);
  markOutputs();
}

void NetworkTranslator::addInputs() {
  for (int32_t index : program_.inputs) {
    const Value& input = program_.values.at(index);
    ITensor* tensor = network_.addInput(input.name.c_str(), DataType::kFLOAT, toTrtDims(input.shape));
    if (tensor == nullptr) ErrorLogger::instance().fail(ErrorCode::Backend, "tensorrt: cannot add input '" + input.name + "'");
    tensors_[index] = computeType_ == DataType::kFLOAT ? tensor : &cast(*tensor, computeType_, input.name + "/cast");
  }
}

void NetworkTranslator::addOp(const Op& op) {
  const Value& out = program_.values.at(op.output);
  const std::string& name = out.name;
  ITensor* result = nullptr;
  switch (op.kind) {
    case Op::Kind::Gemm: result = &gemm(op, name); break;
    case Op::Kind::MatMul: result = &matMul(op, name); break;
    case Op::Kind::Binary: result = &binary(op, name); break;
    case Op::Kind::Unary: result = &activation(value(op.inputs.at(0)), op.activation, op.alpha, name); break;
    case Op::Kind::Alias: result = &value(op.inputs.at(0)); break;
  }
  // The program's shape is authoritative: Gemm's [rows, n] becomes (N, n, 1, 1) for a 4-D
  // input, and an Alias is nothing but this reshape.
  tensors_.at(op.output) = &reshape(*result, out.shape, name + "/shape");
}

ITensor& NetworkTranslator::gemm(const Op& op, const std::string& name) {
  const Value& in = program_.values.at(op.inputs.at(0));
  const int64_t rows = isDynamic(in.shape) ? kDynamic : numelPerBatch(in.shape) / op.k;
  ITensor& x = reshape(value(op.inputs[0]), {rows, op.k}, name + "/flatten");
  ITensor& w = constant(op.weight, {op.n, op.k}, name + "/weights");
  ITensor* y = named(network_.addMatrixMultiply(x, nvinfer1::MatrixOperation::kNONE, w,
                                                nvinfer1::MatrixOperation::kTRANSPOSE),
                     name + "/matmul")
                   .getOutput(0);
  if (op.bias >= 0) {
    ITensor& b = constant(op.bias, {1, op.n}, name + "/bias");
    y = named(network_.addElementWise(*y, b, nvinfer1::ElementWiseOperation::kSUM), name + "/add_bias").getOutput(0);
  }
  return activation(*y, op.activation, op.alpha, name + "/activation");
}

ITensor& NetworkTranslator::matMul(const Op& op, const std::string& name) {
  ITensor& a = value(op.inputs.at(0));
  ITensor& b = value(op.inputs.at(1));
  const int32_t rank = std::max(a.getDimensions().nbDims, b.getDimensions().nbDims);
  return *named(network_.addMatrixMultiply(withRank(a, rank, name + "/a_rank"), matrixOperation(op.transposeA),
                                           withRank(b, rank, name + "/b_rank"), matrixOperation(op.transposeB)),
                name)
              .getOutput(0);
}

ITensor& NetworkTranslator::binary(const Op& op, const std::string& name) {
  ITensor& a = value(op.inputs.at(0));
  ITensor& b = value(op.inputs.at(1));
  const int32_t rank = std::max(a.getDimensions().nbDims, b.getDimensions().nbDims);
  return *named(network_.addElementWise(withRank(a, rank, name + "/a_rank"), withRank(b, rank, name + "/b_rank"),
                                        elementWiseOf(op.binary)),
                name)
              .getOutput(0);
}

ITensor& NetworkTranslator::activation(ITensor& x, Activation kind, float alpha, const std::string& name) {
  if (kind == Activation::None) return x;
  auto& layer = named(network_.addActivation(x, activationTypeOf(kind)), name);
  if (kind == Activation::LeakyRelu) layer.setAlpha(alpha);
  return *layer.getOutput(0);
}

ITensor& NetworkTranslator::value(int32_t index) {
  ITensor*& tensor = tensors_.at(index);
  if (tensor != nullptr) return *tensor;
  const Value& v = program_.values.at(index);
  if (v.constant < 0) {
    throw Error(ErrorCode::Backend, "tensorrt: value '" + v.name + "' is used before the op that computes it");
  }
  tensor = &constant(v.constant, v.shape, v.name);
  return *tensor;
}

ITensor& NetworkTranslator::constant(int32_t weightIndex, const Dims& shape, const std::string& name) {
  const Weights& weights = program_.weights.at(weightIndex);
  const int64_t count = numelPerBatch(shape);
  if (weights.bytes.size() != static_cast<size_t>(count) * elementSize(weights.dtype)) {
    throw Error(ErrorCode::Backend, "tensorrt: constant '" + name + "' holds " + std::to_string(weights.bytes.size()) +
                                        " bytes, its shape needs " + std::to_string(count) + " elements");
  }
  const nvinfer1::Weights trtWeights{trtTypeOf(weights.dtype), weights.bytes.data(), count};
  ITensor& tensor = *named(network_.addConstant(toTrtDims(shape), trtWeights), name).getOutput(0);
  return trtWeights.type == computeType_ ? tensor : cast(tensor, computeType_, name + "/cast");
}

ITensor& NetworkTranslator::reshape(ITensor& x, const Dims& shape, const std::string& name) {
  if (sameDims(x.getDimensions(), shape)) return x;
  auto& layer = named(network_.addShuffle(x), name);
  // kDynamic (-1) is "inferred" to a shuffle; the seed's rule leaves at most one per shape.
  layer.setReshapeDimensions(toTrtDims(shape));
  return *layer.getOutput(0);
}

ITensor& NetworkTranslator::withRank(ITensor& x, int32_t rank, const std::string& name) {
  const nvinfer1::Dims dims = x.getDimensions();
  if (dims.nbDims >= rank) return x;
  Dims shape(rank - dims.nbDims, 1);
  shape.insert(shape.end(), dims.d, dims.d + dims.nbDims);
  return reshape(x, shape, name);
}

ITensor& NetworkTranslator::cast(ITensor& x, DataType type, const std::string& name) {
  return *named(network_.addCast(x, type), name).getOutput(0);
}

void NetworkTranslator::markOutputs() {
  std::set<int32_t> seen;
  for (int32_t index : program_.outputs) {
    const Value& out = program_.values.at(index);
    // Tensors are bound by name at run time, so an output must be its own tensor.
    if (std::count(program_.inputs.begin(), program_.inputs.end(), index) != 0) {
      throw Error(ErrorCode::Network, "tensorrt: output '" + out.name + "' is also a network input");
    }
    if (!seen.insert(index).second) {
      throw Error(ErrorCode::Network, "tensorrt: output '" + out.name + "' is listed twice");
    }
    ITensor* tensor = &value(index);
    if (computeType_ != DataType::kFLOAT) {
      tensor = &cast(*tensor, DataType::kFLOAT, out.name + "/output");
    } else if (tensor->isNetworkInput() || tensor->isNetworkOutput()) {
      // A no-op op (reshape to the same shape) shares its input's tensor.
      tensor = named(network_.addIdentity(*tensor), out.name + "/output").getOutput(0);
    }
    tensor->setName(out.name.c_str());
    network_.markOutput(*tensor);
  }
}

template <typename Layer>
Layer& NetworkTranslator::named(Layer* layer, const std::string& name) {
  if (layer == nullptr) ErrorLogger::instance().fail(ErrorCode::Backend, "tensorrt: cannot add layer '" + name + "'");
  layer->setName(name.c_str());
  return *layer;
}

}  // namespace trtfarm::tensorrt
