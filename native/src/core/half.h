// IEEE fp16 and bfloat16 conversions on the host, round-to-nearest-even, for storing weights
// in the build precision and widening them on use.
#pragma once

#include <cstdint>
#include <cstring>

namespace trtfarm {

inline uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

inline float bitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

inline uint16_t floatToBf16(float f) {
  uint32_t u = floatBits(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // keep NaN a NaN
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>(u >> 16);
}

inline float bf16ToFloat(uint16_t h) { return bitsFloat(static_cast<uint32_t>(h) << 16); }

inline uint16_t floatToHalf(float f) {
  const uint32_t u = floatBits(f);
  const uint32_t sign = (u >> 16) & 0x8000u;
  const uint32_t absu = u & 0x7fffffffu;
  if (absu >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (absu > 0x7f800000u ? 0x200u : 0u));
  if (absu >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds past 65504: infinity
  if (absu < 0x38800000u) {
    // Subnormal half (or zero): add the magic that aligns the mantissa, letting the FPU round.
    const float magic = bitsFloat(0x3f000000u);  // 0.5: 2^-1, shifts |x| into the subnormal grid
    const float shifted = bitsFloat(absu) + magic;
    return static_cast<uint16_t>(sign | (floatBits(shifted) - 0x3f000000u));
  }
  const uint32_t mantOdd = (absu >> 13) & 1u;
  const uint32_t rounded = absu + 0xc8000fffu + mantOdd;  // rebias exponent (-112 << 23) and round
  return static_cast<uint16_t>(sign | (rounded >> 13));
}

// The smallest magnitudes (as float bits, sign cleared) that round to infinity: 65520 in fp16,
// and halfway past bf16's largest finite value in bf16 (ties go to the even infinity).
constexpr uint32_t kHalfOverflowBits = 0x477ff000u;
constexpr uint32_t kBf16OverflowBits = 0x7f7f8000u;

inline float halfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  const uint32_t mant = h & 0x3ffu;
  if (exp == 0) {
    // zero or subnormal: mant · 2^-24
    const float v = static_cast<float>(mant) * bitsFloat(0x33800000u);
    return bitsFloat(sign | floatBits(v));
  }
  if (exp == 31) return bitsFloat(sign | 0x7f800000u | (mant << 13));
  return bitsFloat(sign | ((exp + 112u) << 23) | (mant << 13));
}

}  // namespace trtfarm
