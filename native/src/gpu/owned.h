// One CUDA handle owned by one object and destroyed with it (a stream, an event, a cuBLASLt
// handle), so that a throw between creation and use leaks nothing and needs no try/catch.
// Empty (nullptr) when default-constructed or moved from.
#pragma once

#include <utility>

namespace trtfarm::gpu {

template <class Handle, auto Destroy>
class Owned {
 public:
  Owned() = default;
  explicit Owned(Handle handle) : handle_(handle) {}
  ~Owned() {
    if (handle_) Destroy(handle_);
  }
  Owned(Owned&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Owned& operator=(Owned&& other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;

  Handle get() const { return handle_; }

 private:
  Handle handle_ = nullptr;
};

}  // namespace trtfarm::gpu
