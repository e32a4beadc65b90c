// The right-hand operand of a gemm with its bias, packed once into the layout the micro-kernel
// streams: panels of kPanel output columns, k-major inside a panel, the last panel zero-padded.
#pragma once

#include <cstddef>

#include "aligned_buffer.h"
#include "simd.h"

namespace trtfarm::cpu {

class PackedMatrix {
 public:
  static constexpr size_t kPanel = 2 * simd::kLanes;

  // Element (kk, j) of the k×n operand is src[kk·strideK + j·strideN]: a Gemm's W[n, k] has
  // strideK = 1, strideN = k; a plain B[k, n] has strideK = n, strideN = 1. bias: n floats or null.
  PackedMatrix(const float* src, size_t k, size_t n, size_t strideK, size_t strideN,
               const float* bias = nullptr);

  size_t k() const { return k_; }
  size_t n() const { return n_; }
  size_t panels() const { return (n_ + kPanel - 1) / kPanel; }
  const float* panel(size_t p) const { return data_.data() + p * k_ * kPanel; }
  // kPanel floats of the bias for panel p (zero-padded), or null without a bias.
  const float* bias(size_t p) const { return hasBias_ ? bias_.data() + p * kPanel : nullptr; }

 private:
  size_t k_, n_;
  bool hasBias_;
  AlignedBuffer data_, bias_;
};

}  // namespace trtfarm::cpu
