// The few vector operations the gemm micro-kernel and the activations need, for the widest instruction set the
// compiler targets (CMake builds with -march=native). The kernels are written once on top of these.
#pragma once

#include <cmath>
#include <cstddef>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

namespace trtfarm::cpu::simd {

#if defined(__AVX512F__)
constexpr const char* kIsa = "avx512f";
constexpr int kLanes = 16;
using Vec = __m512;
inline Vec load(const float* p) { return _mm512_loadu_ps(p); }
inline void store(float* p, Vec v) { _mm512_storeu_ps(p, v); }
inline Vec broadcast(float x) { return _mm512_set1_ps(x); }
inline Vec zero() { return _mm512_setzero_ps(); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm512_fmadd_ps(a, b, c); }
inline Vec add(Vec a, Vec b) { return _mm512_add_ps(a, b); }
inline Vec mul(Vec a, Vec b) { return _mm512_mul_ps(a, b); }
// Zero-masked forms where GCC 12 warns about the undefined source operand of the plain ones.
inline Vec max(Vec a, Vec b) { return _mm512_maskz_max_ps(0xffff, a, b); }
inline Vec min(Vec a, Vec b) { return _mm512_maskz_min_ps(0xffff, a, b); }
inline Vec sub(Vec a, Vec b) { return _mm512_sub_ps(a, b); }
inline Vec div(Vec a, Vec b) { return _mm512_div_ps(a, b); }
inline Vec abs(Vec a) { return _mm512_abs_ps(a); }
inline Vec floor(Vec a) { return _mm512_maskz_roundscale_ps(0xffff, a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
// a · 2^n for integral n
inline Vec scale2(Vec a, Vec n) { return _mm512_maskz_scalef_ps(0xffff, a, n); }
// a < b ? yes : no, lane by lane
inline Vec selectLess(Vec a, Vec b, Vec yes, Vec no) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), no, yes); }
#elif defined(__AVX2__) && defined(__FMA__)
constexpr const char* kIsa = "avx2+fma";
constexpr int kLanes = 8;
using Vec = __m256;
inline Vec load(const float* p) { return _mm256_loadu_ps(p); }
inline void store(float* p, Vec v) { _mm256_storeu_ps(p, v); }
inline Vec broadcast(float x) { return _mm256_set1_ps(x); }
inline Vec zero() { return _mm256_setzero_ps(); }
inline Vec fma(Vec a, Vec b, Vec c) { return _mm256_fmadd_ps(a, b, c); }
inline Vec add(Vec a, Vec b) { return _mm256_add_ps(a, b); }
inline Vec mul(Vec a, Vec b) { return _mm256_mul_ps(a, b); }
inline Vec max(Vec a, Vec b) { return _mm256_max_ps(a, b); }
inline Vec min(Vec a, Vec b) { return _mm256_min_ps(a, b); }
inline Vec sub(Vec a, Vec b) { return _mm256_sub_ps(a, b); }
inline Vec div(Vec a, Vec b) { return _mm256_div_ps(a, b); }
inline Vec abs(Vec a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
inline Vec floor(Vec a) { return _mm256_floor_ps(a); }
inline Vec scale2(Vec a, Vec n) {
  const __m256i exponent = _mm256_slli_epi32(_mm256_cvtps_epi32(n), 23);
  return _mm256_castsi256_ps(_mm256_add_epi32(_mm256_castps_si256(a), exponent));
}
inline Vec selectLess(Vec a, Vec b, Vec yes, Vec no) { return _mm256_blendv_ps(no, yes, _mm256_cmp_ps(a, b, _CMP_LT_OQ)); }
#else
// Portable: plain loops over a small array, which compilers vectorize for SSE or NEON.
constexpr const char* kIsa = "generic";
constexpr int kLanes = 4;
struct Vec {
  float v[kLanes];
};
inline Vec load(const float* p) {
  Vec r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = p[i];
  return r;
}
inline void store(float* p, Vec a) {
  for (int i = 0; i < kLanes; ++i) p[i] = a.v[i];
}
inline Vec broadcast(float x) {
  Vec r;
  for (int i = 0; i < kLanes; ++i) r.v[i] = x;
  return r;
}
inline Vec zero() { return broadcast(0.0f); }
// Fused like the hardware forms: the activations rely on the exact rounding error of a·b.
inline Vec fma(Vec a, Vec b, Vec c) {
  for (int i = 0; i < kLanes; ++i) c.v[i] = std::fma(a.v[i], b.v[i], c.v[i]);
  return c;
}
inline Vec add(Vec a, Vec b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] += b.v[i];
  return a;
}
inline Vec mul(Vec a, Vec b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] *= b.v[i];
  return a;
}
inline Vec max(Vec a, Vec b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] = a.v[i] > b.v[i] ? a.v[i] : b.v[i];
  return a;
}
inline Vec min(Vec a, Vec b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] = a.v[i] < b.v[i] ? a.v[i] : b.v[i];
  return a;
}
inline Vec sub(Vec a, Vec b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] -= b.v[i];
  return a;
}
inline Vec div(Vec a, Vec b) {
  for (int i = 0; i < kLanes; ++i) a.v[i] /= b.v[i];
  return a;
}
inline Vec abs(Vec a) {
  for (int i = 0; i < kLanes; ++i) a.v[i] = std::fabs(a.v[i]);
  return a;
}
inline Vec floor(Vec a) {
  for (int i = 0; i < kLanes; ++i) a.v[i] = std::floor(a.v[i]);
  return a;
}
inline Vec scale2(Vec a, Vec n) {
  for (int i = 0; i < kLanes; ++i) a.v[i] = std::ldexp(a.v[i], static_cast<int>(n.v[i]));
  return a;
}
inline Vec selectLess(Vec a, Vec b, Vec yes, Vec no) {
  for (int i = 0; i < kLanes; ++i) no.v[i] = a.v[i] < b.v[i] ? yes.v[i] : no.v[i];
  return no;
}
#endif

}  // namespace trtfarm::cpu::simd
