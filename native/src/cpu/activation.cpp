#include "activation.h"

#include <algorithm>

#include "simd.h"

namespace trtfarm::cpu {

namespace {

using simd::Vec;

// Elements per parallel task (a multiple of any vector width): below this, waking threads costs
// more than the loop.
constexpr size_t kElementsPerTask = 1 << 15;

Vec splat(float x) { return simd::broadcast(x); }

// Clamps to [lo, hi] keeping NaN: max and min return their second operand when either is NaN.
Vec clamp(Vec x, float lo, float hi) { return simd::min(splat(hi), simd::max(splat(lo), x)); }

// e^x: Cephes' expf (ln 2 split in two for the range reduction, degree-5 polynomial). The clamp
// keeps 2^n within the normal exponents, where scale2 is exact.
Vec exp(Vec x) {
  x = clamp(x, -87.3f, 88.0f);
  const Vec n = simd::floor(simd::fma(x, splat(1.44269504088896341f), splat(0.5f)));
  Vec r = simd::fma(n, splat(-0.693359375f), x);
  r = simd::fma(n, splat(2.12194440e-4f), r);
  Vec p = splat(1.9875691500e-4f);
  p = simd::fma(p, r, splat(1.3981999507e-3f));
  p = simd::fma(p, r, splat(8.3334519073e-3f));
  p = simd::fma(p, r, splat(4.1665795894e-2f));
  p = simd::fma(p, r, splat(1.6666665459e-1f));
  p = simd::fma(p, r, splat(5.0000001201e-1f));
  p = simd::fma(p, simd::mul(r, r), simd::add(r, splat(1.0f)));
  return simd::scale2(p, n);
}

Vec sigmoid(Vec x) { return simd::div(splat(1.0f), simd::add(splat(1.0f), exp(simd::sub(simd::zero(), x)))); }

// Near 0, 1 - 2/(e^2x + 1) loses the relative accuracy to cancellation: there Cephes' tanhf
// odd polynomial takes over.
Vec tanh(Vec x) {
  const Vec a = simd::abs(x);
  const Vec z = simd::mul(x, x);
  Vec p = splat(-5.70498872745e-3f);
  p = simd::fma(p, z, splat(2.06390887954e-2f));
  p = simd::fma(p, z, splat(-5.37397155531e-2f));
  p = simd::fma(p, z, splat(1.33314422036e-1f));
  p = simd::fma(p, z, splat(-3.33332819422e-1f));
  const Vec nearZero = simd::fma(simd::mul(p, z), x, x);
  const Vec magnitude = simd::sub(splat(1.0f), simd::div(splat(2.0f), simd::add(exp(simd::add(a, a)), splat(1.0f))));
  const Vec far = simd::selectLess(x, simd::zero(), simd::sub(simd::zero(), magnitude), magnitude);
  return simd::selectLess(a, splat(0.625f), nearZero, far);
}

// gelu(x) = 0.5·x·(1 + erf(x/√2)) = 0.5·x·erfc(-x/√2). erfc(z), z = |x|/√2, by the Chebyshev fit
// of Numerical Recipes (fractional error below 1.2e-7): for x < 0 that is the tail itself, with
// full relative accuracy however small; for x >= 0, 1 + erf = 2 - erfc.
Vec gelu(Vec x) {
  const Vec z = simd::mul(simd::abs(x), splat(0.70710678118654752f));
  const Vec t = simd::div(splat(1.0f), simd::fma(z, splat(0.5f), splat(1.0f)));
  Vec p = splat(0.17087277f);
  for (float c : {-0.82215223f, 1.48851587f, -1.13520398f, 0.27886807f, -0.18628806f, 0.09678418f, 0.37409196f,
                  1.00002368f, -1.26551223f})
    p = simd::fma(p, t, splat(c));
  // e^(p - z²) with z² = x²/2 kept exact as hi + lo (an fma gives the rounding error of x·x): in
  // the far tail z² is large, and a rounded z² would cost its absolute error as relative error.
  const Vec hi = simd::mul(x, x);
  const Vec lo = simd::fma(x, x, simd::sub(simd::zero(), hi));
  const Vec tail = simd::mul(exp(simd::mul(splat(-0.5f), hi)), exp(simd::fma(splat(-0.5f), lo, p)));
  const Vec erfc = simd::mul(t, tail);
  const Vec onePlusErf = simd::selectLess(x, simd::zero(), erfc, simd::sub(splat(2.0f), erfc));
  return simd::mul(simd::mul(splat(0.5f), x), onePlusErf);
}

// The tail goes through a padded vector too, so that every element gets the same arithmetic
// wherever it sits.
template <Vec (*F)(Vec)>
void applyVector(const float* in, float* out, size_t count) {
  constexpr size_t lanes = simd::kLanes;
  size_t i = 0;
  for (; i + lanes <= count; i += lanes) simd::store(out + i, F(simd::load(in + i)));
  if (i == count) return;
  float tail[lanes] = {};
  std::copy(in + i, in + count, tail);
  simd::store(tail, F(simd::load(tail)));
  std::copy(tail, tail + (count - i), out + i);
}

}  // namespace

void activateAll(const float* in, float* out, size_t count, Activation act, float alpha) {
  switch (act) {
    case Activation::None:
      if (in != out) std::copy(in, in + count, out);
      return;
    case Activation::Relu:
      for (size_t i = 0; i < count; ++i) out[i] = in[i] > 0.0f ? in[i] : 0.0f;
      return;
    case Activation::LeakyRelu:
      for (size_t i = 0; i < count; ++i) out[i] = in[i] > 0.0f ? in[i] : alpha * in[i];
      return;
    case Activation::Sigmoid: return applyVector<sigmoid>(in, out, count);
    case Activation::Tanh: return applyVector<tanh>(in, out, count);
    case Activation::Gelu: return applyVector<gelu>(in, out, count);
  }
}

void activateAll(const float* in, float* out, size_t count, Activation act, float alpha, ThreadPool& pool) {
  pool.parallelFor((count + kElementsPerTask - 1) / kElementsPerTask, [&](size_t t) {
    const size_t begin = t * kElementsPerTask;
    activateAll(in + begin, out + begin, std::min(count - begin, kElementsPerTask), act, alpha);
  });
}

}  // namespace trtfarm::cpu
