#include "tactics_blob.h"

#include <algorithm>
#include <string>

#include "../core/error.h"

namespace trtfarm::tensorrt {
namespace {

// "TRTE", then a format version, then two length-prefixed sections; little-endian.
constexpr uint8_t kMagic[4] = {'T', 'R', 'T', 'E'};
constexpr uint32_t kFormatVersion = 1;

void putU64(std::vector<uint8_t>& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void putSection(std::vector<uint8_t>& out, const std::vector<uint8_t>& section) {
  putU64(out, section.size());
  out.insert(out.end(), section.begin(), section.end());
}

class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}

  uint64_t u64(const char* what) {
    need(8, what);
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= static_cast<uint64_t>(bytes_[pos_ + i]) << (8 * i);
    pos_ += 8;
    return value;
  }

  std::vector<uint8_t> section(const char* what) {
    const uint64_t size = u64(what);
    need(size, what);
    std::vector<uint8_t> out(bytes_.begin() + pos_, bytes_.begin() + pos_ + size);
    pos_ += size;
    return out;
  }

  void need(uint64_t size, const char* what) const {
    if (size > bytes_.size() - pos_) {
      throw Error(ErrorCode::Plan, std::string("tensorrt plan: truncated ") + what);
    }
  }

  size_t pos() const { return pos_; }
  void skip(size_t n) { pos_ += n; }

 private:
  const std::vector<uint8_t>& bytes_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<uint8_t> packTactics(const TacticsBlob& blob) {
  std::vector<uint8_t> out(kMagic, kMagic + 4);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(kFormatVersion >> (8 * i)));
  putSection(out, blob.engine);
  putSection(out, blob.timingCache);
  return out;
}

TacticsBlob unpackTactics(const std::vector<uint8_t>& bytes) {
  Reader reader(bytes);
  reader.need(8, "header");
  if (!std::equal(kMagic, kMagic + 4, bytes.begin())) {
    throw Error(ErrorCode::Plan, "tensorrt plan: tactics do not hold a TensorRT engine (bad magic)");
  }
  const uint32_t version = bytes[4] | bytes[5] << 8 | bytes[6] << 16 | static_cast<uint32_t>(bytes[7]) << 24;
  if (version != kFormatVersion) {
    throw Error(ErrorCode::Plan, "tensorrt plan: tactics format " + std::to_string(version) +
                                     ", this build reads " + std::to_string(kFormatVersion));
  }
  reader.skip(8);
  TacticsBlob blob;
  blob.engine = reader.section("engine");
  blob.timingCache = reader.section("timing cache");
  if (reader.pos() != bytes.size()) throw Error(ErrorCode::Plan, "tensorrt plan: trailing bytes after the tactics");
  if (blob.engine.empty()) throw Error(ErrorCode::Plan, "tensorrt plan: empty engine");
  return blob;
}

std::vector<uint8_t> engineOf(const Plan& plan) {
  if (plan.backend != "tensorrt") {
    throw Error(ErrorCode::Plan, "the plan was built by the " + plan.backend + " backend: only tensorrt plans hold a TensorRT engine");
  }
  return unpackTactics(plan.tactics).engine;
}

}  // namespace trtfarm::tensorrt
