// Float storage aligned to a cache line, so packed panels and activations start on vector boundaries.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace trtfarm::cpu {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t floats) { resize(floats); }

  // Discards the contents; new memory is zeroed.
  void resize(size_t floats) {
    const size_t bytes = (floats * sizeof(float) + kAlign - 1) / kAlign * kAlign;
    float* p = bytes ? static_cast<float*>(std::aligned_alloc(kAlign, bytes)) : nullptr;
    if (bytes && !p) throw std::bad_alloc();
    for (size_t i = 0; i < bytes / sizeof(float); ++i) p[i] = 0.0f;
    data_.reset(p);
    size_ = floats;
  }
  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  static constexpr size_t kAlign = 64;
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float[], Free> data_;
  size_t size_ = 0;
};

}  // namespace trtfarm::cpu
