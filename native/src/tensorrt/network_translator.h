// Writes a trtfarm Program into a TensorRT network definition, one or a few TensorRT layers per
// op. The network is strongly typed: inputs and outputs are fp32 (the host buffers' type) and
// everything between them is in the build precision's type, so TensorRT computes in exactly
// the precision the plan records.
#pragma once

#include <NvInfer.h>

#include <string>
#include <vector>

#include "../core/program.h"

namespace trtfarm::tensorrt {

class NetworkTranslator {
 public:
  // The network's constant layers point into program.weights: `program` must outlive the
  // build of `network` (IBuilder::buildSerializedNetwork reads them).
  NetworkTranslator(const Program& program, Precision precision, nvinfer1::INetworkDefinition& network);

  // Throws Error{ErrorCode::Backend} naming the layer TensorRT refused, with its message.
  void translate();

 private:
  void addInputs();
  void addOp(const Op& op);
  void markOutputs();

  nvinfer1::ITensor& gemm(const Op& op, const std::string& name);
  nvinfer1::ITensor& matMul(const Op& op, const std::string& name);
  nvinfer1::ITensor& binary(const Op& op, const std::string& name);
  nvinfer1::ITensor& activation(nvinfer1::ITensor& x, Activation kind, float alpha, const std::string& name);

  nvinfer1::ITensor& value(int32_t index);
  nvinfer1::ITensor& constant(int32_t weightIndex, const Dims& shape, const std::string& name);
  nvinfer1::ITensor& reshape(nvinfer1::ITensor& x, const Dims& shape, const std::string& name);
  // Prepends size-1 dimensions: TensorRT broadcasts only between tensors of equal rank.
  nvinfer1::ITensor& withRank(nvinfer1::ITensor& x, int32_t rank, const std::string& name);
  nvinfer1::ITensor& cast(nvinfer1::ITensor& x, nvinfer1::DataType type, const std::string& name);
  template <typename Layer>
  Layer& named(Layer* layer, const std::string& name);

  const Program& program_;
  nvinfer1::DataType computeType_;
  nvinfer1::INetworkDefinition& network_;
  std::vector<nvinfer1::ITensor*> tensors_;  // by value index; null until produced
};

}  // namespace trtfarm::tensorrt
