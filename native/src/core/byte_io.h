// Little-endian encoding of the plan, and a reader that never reads past its buffer.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "error.h"

namespace trtfarm {

class ByteWriter {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void i64(int64_t v) { u64(static_cast<uint64_t>(v)); }
  void f32(float v) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    u32(bits);
  }
  void bytes(const std::vector<uint8_t>& v) {
    u64(v.size());
    out_.insert(out_.end(), v.begin(), v.end());
  }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void raw(const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    out_.insert(out_.end(), p, p + size);
  }
  std::vector<uint8_t>& buffer() { return out_; }

 private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> out_;
};

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t u8(const char* what) { return static_cast<uint8_t>(le(1, what)); }
  uint32_t u32(const char* what) { return static_cast<uint32_t>(le(4, what)); }
  uint64_t u64(const char* what) { return le(8, what); }
  int32_t i32(const char* what) { return static_cast<int32_t>(u32(what)); }
  int64_t i64(const char* what) { return static_cast<int64_t>(u64(what)); }
  float f32(const char* what) {
    const uint32_t bits = u32(what);
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  std::string str(const char* what) {
    const uint32_t n = u32(what);
    need(n, what);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  std::vector<uint8_t> bytes(const char* what) {
    const uint64_t n = u64(what);
    need(n, what);
    std::vector<uint8_t> v(data_ + pos_, data_ + pos_ + n);
    pos_ += n;
    return v;
  }
  // A count of items each at least `minItemBytes` long: rejects counts the buffer cannot hold
  // before anything is allocated for them.
  uint32_t count(const char* what, size_t minItemBytes) {
    const uint32_t n = u32(what);
    if (minItemBytes > 0 && n > remaining() / minItemBytes)
      throw Error(ErrorCode::Plan, "corrupt plan: " + std::string(what) + " count " + std::to_string(n) +
                                       " does not fit in the remaining " + std::to_string(remaining()) + " bytes");
    return n;
  }
  size_t offset() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }

 private:
  void need(uint64_t n, const char* what) {
    if (n > remaining())
      throw Error(ErrorCode::Plan, "truncated plan: " + std::string(what) + " at offset " + std::to_string(pos_) +
                                       " needs " + std::to_string(n) + " bytes, " + std::to_string(remaining()) + " left");
  }
  uint64_t le(int n, const char* what) {
    need(n, what);
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(data_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace trtfarm
