#include "weights.h"

#include <cstring>

#include "half.h"

namespace trtfarm {

size_t dtypeSize(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

DType storageType(Precision precision) {
  switch (precision) {
    case Precision::FP16: return DType::F16;
    case Precision::BF16: return DType::BF16;
    default: return DType::F32;
  }
}

Weights makeWeights(const Dims& shape, const std::vector<float>& values, DType dtype) {
  Weights w{dtype, shape, std::vector<uint8_t>(values.size() * dtypeSize(dtype))};
  if (dtype == DType::F32) {
    std::memcpy(w.bytes.data(), values.data(), w.bytes.size());
    return w;
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const uint16_t h = dtype == DType::F16 ? floatToHalf(values[i]) : floatToBf16(values[i]);
    w.bytes[2 * i] = static_cast<uint8_t>(h & 0xff);
    w.bytes[2 * i + 1] = static_cast<uint8_t>(h >> 8);
  }
  return w;
}

std::vector<float> widen(const Weights& weights) {
  const size_t n = weights.bytes.size() / dtypeSize(weights.dtype);
  std::vector<float> out(n);
  if (weights.dtype == DType::F32) {
    std::memcpy(out.data(), weights.bytes.data(), n * sizeof(float));
    return out;
  }
  for (size_t i = 0; i < n; ++i) {
    const uint16_t h = static_cast<uint16_t>(weights.bytes[2 * i] | (weights.bytes[2 * i + 1] << 8));
    out[i] = weights.dtype == DType::F16 ? halfToFloat(h) : bf16ToFloat(h);
  }
  return out;
}

void storeWeightsAs(Program& program, DType dtype) {
  for (Weights& w : program.weights)
    if (w.dtype != dtype) w = makeWeights(w.shape, widen(w), dtype);
}

}  // namespace trtfarm
