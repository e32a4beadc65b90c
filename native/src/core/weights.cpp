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

size_t dtypeSize(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

DType storageType(Precision precision) {
  switch (precision) {
    case Precision::FP16: return DType::F16;
    case Precision::BF16: return DType::BF16;
    default: return DType::F32;
  }
}

namespace {

// Block-wise so that the scan vectorizes: weights are hundreds of megabytes.
// The first value whose magnitude bits lie in [lo, hi), or `count`.
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

}  // namespace

size_t firstOverflow(const uint8_t* values, size_t count, DType dtype) {
  if (dtype == DType::F32) return count;
  return firstMagnitudeIn(values, count, dtype == DType::F16 ? kHalfOverflowBits : kBf16OverflowBits, 0x7f800000u);
}

size_t firstNonFinite(const std::vector<float>& values) {
  return firstMagnitudeIn(reinterpret_cast<const uint8_t*>(values.data()), values.size(), 0x7f800000u, 0xffffffffu);
}

Weights makeWeights(const Dims& shape, const uint8_t* values, size_t count, DType dtype) {
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
    else if (w.dtype == DType::F32)
      w = makeWeights(w.shape, w.bytes.data(), w.bytes.size() / sizeof(float), dtype);
    else
      w = makeWeights(w.shape, widen(w), dtype);
  }
}

}  // namespace trtfarm
