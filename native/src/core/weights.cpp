#include "weights.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "error.h"
#include "half.h"
#include "shapes.h"

#ifdef __F16C__
#include <immintrin.h>
#endif

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

// The first value whose magnitude bits lie in [lo, hi), or `count`. Block-wise so that the scan
// vectorizes: weights are hundreds of megabytes.
size_t firstMagnitudeIn(const uint8_t* values, size_t count, uint32_t lo, uint32_t hi) {
  constexpr size_t kBlock = 1024;
  // One unsigned compare per value, branch-free across a block.
  const auto over = [&](size_t i) {
    uint32_t u;
    std::memcpy(&u, values + 4 * i, 4);
    return ((u & 0x7fffffffu) - lo) < (hi - lo);
  };
  for (size_t start = 0; start < count; start += kBlock) {
    const size_t end = std::min(count, start + kBlock);
    uint32_t hits = 0;
    for (size_t i = start; i < end; ++i) hits += over(i);
    if (hits == 0) continue;
    for (size_t i = start; i < end; ++i)
      if (over(i)) return i;
  }
  return count;
}

void toHalf(const uint8_t* values, size_t count, uint8_t* out) {
  size_t i = 0;
#ifdef __F16C__
  // The same IEEE round-to-nearest-even as floatToHalf, eight at a time.
  for (; i + 8 <= count; i += 8) {
    const __m256 x = _mm256_loadu_ps(reinterpret_cast<const float*>(values + 4 * i));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i), _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT));
  }
#endif
  for (; i < count; ++i) {
    float v;
    std::memcpy(&v, values + 4 * i, 4);
    const uint16_t h = floatToHalf(v);
    std::memcpy(out + 2 * i, &h, 2);  // little-endian host, as the plan format
  }
}

void toBf16(const uint8_t* values, size_t count, uint8_t* out) {
  for (size_t i = 0; i < count; ++i) {
    float v;
    std::memcpy(&v, values + 4 * i, 4);
    const uint16_t h = floatToBf16(v);
    std::memcpy(out + 2 * i, &h, 2);
  }
}

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

size_t firstOverflow(const uint8_t* values, size_t count, DType dtype) {
  if (dtype != DType::F16 && dtype != DType::BF16) return count;
  return firstMagnitudeIn(values, count, dtype == DType::F16 ? kHalfOverflowBits : kBf16OverflowBits, 0x7f800000u);
}

size_t firstNonFinite(const std::vector<float>& values) {
  return firstMagnitudeIn(reinterpret_cast<const uint8_t*>(values.data()), values.size(), 0x7f800000u, 0xffffffffu);
}

Weights makeWeights(const Dims& shape, const uint8_t* values, size_t count, DType dtype) {
  if (dtype == DType::F8E4M3) {
    std::vector<float> v(count);
    if (count) std::memcpy(v.data(), values, count * sizeof(float));
    return quantizeRows(shape, v);
  }
  Weights w{dtype, shape, std::vector<uint8_t>(count * dtypeSize(dtype))};
  if (dtype == DType::F32) {
    if (count) std::memcpy(w.bytes.data(), values, w.bytes.size());
    return w;
  }
  const bool half = dtype == DType::F16;
  // Rounding a finite weight to infinity would silently poison every output.
  const size_t over = firstOverflow(values, count, dtype);
  if (over < count) {
    float v;
    std::memcpy(&v, values + 4 * over, 4);
    std::ostringstream message;
    message << "the value " << v << " in a " << formatDims(shape) << " weight tensor is outside the "
            << (half ? "fp16" : "bf16") << " range; build with a wider precision";
    throw Error(ErrorCode::Network, message.str());
  }
  if (half)
    toHalf(values, count, w.bytes.data());
  else
    toBf16(values, count, w.bytes.data());
  return w;
}

Weights makeWeights(const Dims& shape, const std::vector<float>& values, DType dtype) {
  return makeWeights(shape, reinterpret_cast<const uint8_t*>(values.data()), values.size(), dtype);
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
  for (Weights& w : program.weights) {
    if (w.dtype == dtype) continue;
    if (program.shapesOnly)
      w.dtype = dtype;
    else if (w.dtype == DType::F32)
      w = makeWeights(w.shape, w.bytes.data(), w.bytes.size() / sizeof(float), dtype);
    else
      w = makeWeights(w.shape, widen(w), dtype);
  }
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
      program.weights[i] = program.shapesOnly
                               ? Weights{DType::F8E4M3, program.weights[i].shape, {}}
                               : makeWeights(program.weights[i].shape, widen(program.weights[i]), DType::F8E4M3);
}

}  // namespace trtfarm
