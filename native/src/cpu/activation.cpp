#include "activation.h"

namespace trtfarm::cpu {

namespace {

// One loop per activation, so that the compiler vectorizes the simple ones.
template <typename F>
void apply(const float* in, float* out, size_t count, F f) {
  for (size_t i = 0; i < count; ++i) out[i] = f(in[i]);
}

}  // namespace

void activateAll(const float* in, float* out, size_t count, Activation act, float alpha) {
  switch (act) {
    case Activation::Relu: return apply(in, out, count, [](float x) { return x > 0.0f ? x : 0.0f; });
    case Activation::LeakyRelu: return apply(in, out, count, [alpha](float x) { return x > 0.0f ? x : alpha * x; });
    default: return apply(in, out, count, [act, alpha](float x) { return activate(x, act, alpha); });
  }
}

}  // namespace trtfarm::cpu
