// Element-wise activations, shared by the Unary op and the gemm epilogue.
#pragma once

#include <cmath>
#include <cstddef>

#include "core/program.h"

namespace trtfarm::cpu {

inline float activate(float x, Activation act, float alpha) {
  switch (act) {
    case Activation::None: return x;
    case Activation::Relu: return x > 0.0f ? x : 0.0f;
    case Activation::Sigmoid: return 1.0f / (1.0f + std::exp(-x));
    case Activation::Tanh: return std::tanh(x);
    case Activation::Gelu: return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f));  // exact erf form
    case Activation::LeakyRelu: return x > 0.0f ? x : alpha * x;
  }
  return x;
}

// out may equal in.
void activateAll(const float* in, float* out, size_t count, Activation act, float alpha);

}  // namespace trtfarm::cpu
