#include "weights.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "error.h"
#include "half.h"
#include "shapes.h"

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
    // Rounding a finite weight to infinity would silently poison every output.
    if ((h & 0x7fffu) >= (dtype == DType::F16 ? 0x7c00u : 0x7f80u) && std::isfinite(values[i])) {
      std::ostringstream message;
      message << "the value " << values[i] << " in a " << formatDims(shape) << " weight tensor is outside the "
              << (dtype == DType::F16 ? "fp16" : "bf16") << " range; build with a wider precision";
      throw Error(ErrorCode::Network, message.str());
    }
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

uint64_t storedBytes(const Weights& weights) {
  return static_cast<uint64_t>(numelPerBatch(weights.shape)) * dtypeSize(weights.dtype);
}

void storeWeightsAs(Program& program, DType dtype) {
  for (Weights& w : program.weights) {
    if (w.dtype == dtype) continue;
    if (program.shapesOnly)
      w.dtype = dtype;
    else
      w = makeWeights(w.shape, widen(w), dtype);
  }
}

}  // namespace trtfarm
