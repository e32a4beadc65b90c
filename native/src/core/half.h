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

constexpr float kE4m3Max = 448.0f;

// Saturates to ±448 (the device's __NV_SATFINITE conversion does the same); NaN stays NaN.
inline uint8_t floatToE4m3(float f) {
  const uint32_t u = floatBits(f);
  const uint8_t sign = static_cast<uint8_t>((u >> 24) & 0x80u);
  const uint32_t a = u & 0x7fffffffu;
  if (a > 0x7f800000u) return static_cast<uint8_t>(sign | 0x7fu);
  if (a >= 0x43e00000u) return static_cast<uint8_t>(sign | 0x7eu);  // ≥ 448
  if (a < 0x3c800000u)  // below 2^-6: e4m3's subnormals, steps of 2^-9
    return static_cast<uint8_t>(sign | static_cast<uint8_t>(std::nearbyint(bitsFloat(a) * 512.0f)));
  // Rebias the exponent (127 → 7) and keep 3 mantissa bits, rounding to nearest even.
  const uint32_t rounded = a + 0x7ffffu + ((a >> 20) & 1u);
  return static_cast<uint8_t>(sign | ((rounded >> 20) - (120u << 3)));
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
