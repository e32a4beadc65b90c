#include "packed_matrix.h"

namespace trtfarm::cpu {

PackedMatrix::PackedMatrix(const float* src, size_t k, size_t n, size_t strideK, size_t strideN,
                           const float* bias)
    : k_(k), n_(n), hasBias_(bias != nullptr), data_(panels() * k * kPanel), bias_(hasBias_ ? panels() * kPanel : 0) {
  for (size_t p = 0; p < panels(); ++p) {
    float* dst = data_.data() + p * k * kPanel;
    const size_t width = n - p * kPanel < kPanel ? n - p * kPanel : kPanel;
    for (size_t j = 0; j < width; ++j) {
      const float* column = src + (p * kPanel + j) * strideN;
      for (size_t kk = 0; kk < k; ++kk) dst[kk * kPanel + j] = column[kk * strideK];
    }
  }
  for (size_t j = 0; hasBias_ && j < n; ++j) bias_.data()[j] = bias[j];
}

}  // namespace trtfarm::cpu
