// IEEE fp16, bfloat16 and fp8 e4m3 (OCP "e4m3fn": no infinities, 448 the largest) conversions
// on the host, round-to-nearest-even, for storing weights in the build precision and widening
// them on use.
#pragma once

#include <cmath>
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

constexpr float kE4m3Max = 448.0f;

// Saturates to ±448 (the device's __NV_SATFINITE conversion does the same); NaN stays NaN.
inline uint8_t floatToE4m3(float f) {
  const uint8_t sign = std::signbit(f) ? 0x80u : 0u;
  const float a = std::fabs(f);
  if (std::isnan(f)) return static_cast<uint8_t>(sign | 0x7fu);
  if (a >= kE4m3Max) return static_cast<uint8_t>(sign | 0x7eu);
  if (a < 0.015625f) return static_cast<uint8_t>(sign | static_cast<uint8_t>(std::nearbyint(a * 512.0f)));  // 2^-9 steps
  int e = 0;
  std::frexp(a, &e);  // a = m · 2^e, m in [0.5, 1): a in [2^(e-1), 2^e)
  int exponent = e - 1;
  int mantissa = static_cast<int>(std::nearbyint((std::ldexp(a, -exponent) - 1.0f) * 8.0f));
  if (mantissa == 8) {
    mantissa = 0;
    ++exponent;
  }
  const int bits = ((exponent + 7) << 3) | mantissa;
  return static_cast<uint8_t>(sign | (bits > 0x7e ? 0x7e : bits));
}

inline float e4m3ToFloat(uint8_t b) {
  const int exponent = (b >> 3) & 0xf, mantissa = b & 7;
  float v;
  if ((b & 0x7f) == 0x7f) v = std::nanf("");
  else if (exponent == 0) v = std::ldexp(static_cast<float>(mantissa), -9);
  else v = std::ldexp(1.0f + mantissa / 8.0f, exponent - 7);
  return (b & 0x80) ? -v : v;
}

}  // namespace trtfarm
