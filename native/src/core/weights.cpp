#include "weights.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "error.h"
#include "half.h"
#include "shapes.h"

namespace trtfarm {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
    case DType::F32: return 4;
    case DType::F8E4M3: return 1;
    default: return 2;
  }
}

uint64_t storedBytes(DType dtype, const Dims& shape) {
  const uint64_t numel = static_cast<uint64_t>(numelPerBatch(shape));
  const uint64_t rows = dtype == DType::F8E4M3 && !shape.empty() ? static_cast<uint64_t>(shape[0]) : 0;
  return numel * dtypeSize(dtype) + rows * sizeof(float);
}

DType storageType(Precision precision) {
  switch (precision) {
    case Precision::FP16:
    case Precision::FP8: return DType::F16;
    case Precision::BF16: return DType::BF16;
    default: return DType::F32;
  }
}

namespace {

Weights quantizeRows(const Dims& shape, const std::vector<float>& values) {
  Weights w{DType::F8E4M3, shape, std::vector<uint8_t>(storedBytes(DType::F8E4M3, shape))};
  const size_t rows = static_cast<size_t>(shape.at(0)), cols = rows ? values.size() / rows : 0;
  float* scales = reinterpret_cast<float*>(w.bytes.data() + values.size());
  for (size_t r = 0; r < rows; ++r) {
    float amax = 0;
    for (size_t c = 0; c < cols; ++c) amax = std::max(amax, std::fabs(values[r * cols + c]));
    if (!std::isfinite(amax))
      throw Error(ErrorCode::Network, "a " + formatDims(shape) + " weight tensor holds a value that is not finite");
    const float scale = amax > 0 ? amax / kE4m3Max : 1.0f;
    const float inverse = 1.0f / scale;
    for (size_t c = 0; c < cols; ++c) w.bytes[r * cols + c] = floatToE4m3(values[r * cols + c] * inverse);
    std::memcpy(scales + r, &scale, sizeof scale);  // the bytes are not float-aligned in general
  }
  return w;
}

}  // namespace

Weights makeWeights(const Dims& shape, const std::vector<float>& values, DType dtype) {
  if (dtype == DType::F8E4M3) return quantizeRows(shape, values);
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
  if (weights.dtype == DType::F8E4M3) {
    const size_t count = static_cast<size_t>(numelPerBatch(weights.shape));
    const size_t rows = static_cast<size_t>(weights.shape.at(0)), cols = rows ? count / rows : 0;
    out.resize(count);
    for (size_t i = 0; i < count; ++i) {
      float scale;
      std::memcpy(&scale, weights.bytes.data() + count + (i / cols) * sizeof(float), sizeof scale);
      out[i] = e4m3ToFloat(weights.bytes[i]) * scale;
    }
    return out;
  }
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

void quantizeFcWeights(Program& program) {
  std::vector<bool> fc(program.weights.size(), false), other(program.weights.size(), false);
  for (const Op& op : program.ops) {
    if (op.kind == Op::Kind::Gemm && op.weight >= 0) fc[op.weight] = true;
    if (op.bias >= 0) other[op.bias] = true;
  }
  for (const Value& v : program.values)
    if (v.constant >= 0) other[v.constant] = true;
  for (size_t i = 0; i < program.weights.size(); ++i)
    if (fc[i] && !other[i] && program.weights[i].shape.size() == 2 && program.weights[i].shape[0] % 16 == 0 &&
        program.weights[i].shape[1] % 16 == 0)
      program.weights[i] = makeWeights(program.weights[i].shape, widen(program.weights[i]), DType::F8E4M3);
}

}  // namespace trtfarm
