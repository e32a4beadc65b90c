// Conversions between trtfarm shapes and TensorRT's Dims. Both spell a dynamic batch as -1.
#pragma once

#include <NvInferRuntime.h>

#include <string>

#include "../core/error.h"
#include "../core/program.h"
#include "../core/shapes.h"

namespace trtfarm::tensorrt {

inline nvinfer1::Dims toTrtDims(const Dims& shape) {
  nvinfer1::Dims dims{};
  if (shape.size() > static_cast<size_t>(nvinfer1::Dims::MAX_DIMS)) {
    throw Error(ErrorCode::Network, "tensorrt: rank " + std::to_string(shape.size()) + " exceeds TensorRT's " +
                                        std::to_string(nvinfer1::Dims::MAX_DIMS));
  }
  dims.nbDims = static_cast<int32_t>(shape.size());
  for (size_t i = 0; i < shape.size(); ++i) dims.d[i] = shape[i];
  return dims;
}

inline bool sameDims(const nvinfer1::Dims& dims, const Dims& shape) {
  if (dims.nbDims != static_cast<int32_t>(shape.size())) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (dims.d[i] != shape[i]) return false;
  }
  return true;
}

}  // namespace trtfarm::tensorrt
