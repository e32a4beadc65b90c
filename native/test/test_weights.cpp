// Storing weights in the build precision: the bulk fp16 (F16C where compiled in) and bf16
// conversions give exactly the scalar round-to-nearest-even of half.h, boundaries included;
// a finite value that would round to infinity is refused; the scans find the first bad value.
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "check.h"
#include "core/half.h"
#include "core/weights.h"

using namespace trtfarm;

namespace {

std::vector<float> testValues() {
  std::vector<float> v = {0.0f, -0.0f, 1.0f, -1.0f, 65504.0f, -65504.0f, 65519.99f, 6.1035156e-05f, 5.9604645e-08f,
                          2.9802322e-08f, 8.940697e-08f, 1e-10f, 3.3895313e38f, -3.3e38f, 1.00048828125f,
                          1.00146484375f};
  std::mt19937 rng(11);
  for (int i = 0; i < 100000; ++i) {
    uint32_t bits = rng();
    float f;
    std::memcpy(&f, &bits, 4);
    if (std::isfinite(f) && std::fabs(f) < 65504.0f) v.push_back(f);
    v.push_back(std::ldexp(static_cast<float>(rng() % 4096) / 4096.0f, static_cast<int>(rng() % 60) - 40));
  }
  for (size_t i = 0; i < v.size(); ++i)  // every alignment and tail length of the 8-wide path
    if (i % 3 == 0) v.push_back(-v[i]);
  return v;
}

uint16_t at(const Weights& w, size_t i) { return static_cast<uint16_t>(w.bytes[2 * i] | (w.bytes[2 * i + 1] << 8)); }

void bulkConversionsMatchTheScalarOnes() {
  std::vector<float> values = testValues();
  std::vector<float> half, bf16;
  for (float f : values) {
    if (std::fabs(f) < 65520.0f) half.push_back(f);
    bf16.push_back(f);
  }
  const Weights h = makeWeights({static_cast<int64_t>(half.size())}, half, DType::F16);
  const Weights b = makeWeights({static_cast<int64_t>(bf16.size())}, bf16, DType::BF16);
  size_t wrongHalf = 0, wrongBf16 = 0;
  for (size_t i = 0; i < half.size(); ++i) wrongHalf += at(h, i) != floatToHalf(half[i]);
  for (size_t i = 0; i < bf16.size(); ++i) wrongBf16 += at(b, i) != floatToBf16(bf16[i]);
  CHECK(wrongHalf == 0);
  CHECK(wrongBf16 == 0);
  CHECK(at(makeWeights({1}, std::vector<float>{65519.99f}, DType::F16), 0) == 0x7bff);
}

void overflowRefusedNamingTheValue() {
  std::vector<float> v(5000, 0.5f);
  v[4321] = 65520.0f;
  CHECK(firstOverflow(reinterpret_cast<const uint8_t*>(v.data()), v.size(), DType::F16) == 4321);
  CHECK_THROWS(Network, "the value 65520 in a (5000) weight tensor is outside the fp16 range", makeWeights({5000}, v, DType::F16));
  CHECK(makeWeights({5000}, v, DType::BF16).bytes.size() == 10000);
  v[4321] = 3.3961776e38f;
  CHECK_THROWS(Network, "outside the bf16 range", makeWeights({5000}, v, DType::BF16));
  v[4321] = std::numeric_limits<float>::infinity();
  CHECK(firstOverflow(reinterpret_cast<const uint8_t*>(v.data()), v.size(), DType::F16) == v.size());
  CHECK(firstNonFinite(v) == 4321);
  v[4321] = std::nanf("");
  v[17] = -std::numeric_limits<float>::infinity();
  CHECK(firstNonFinite(v) == 17);
  CHECK(firstNonFinite(std::vector<float>(3000, -1e38f)) == 3000);
}

}  // namespace

int main() {
  bulkConversionsMatchTheScalarOnes();
  overflowRefusedNamingTheValue();
  TEST_MAIN_END();
}
