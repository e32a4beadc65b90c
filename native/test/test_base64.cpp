// base64 (how timing-cache tactics travel as JS strings): RFC 4648's vectors, round trips of
// every length, and non-canonical text refused.
#include <random>

#include "check.h"
#include "core/base64.h"

using namespace trtfarm;

namespace {

std::vector<uint8_t> bytesOf(const std::string& s) { return {s.begin(), s.end()}; }

void rfcVectors() {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg=="},  {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64Encode(bytesOf(plain)) == encoded);
    CHECK(base64Decode(encoded) == bytesOf(plain));
  }
}

void roundTripsEveryLength() {
  std::mt19937 rng(3);
  for (size_t n = 0; n < 200; ++n) {
    std::vector<uint8_t> bytes(n);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    CHECK(base64Decode(base64Encode(bytes)) == bytes);
  }
}

void nonCanonicalRefused() {
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zg==Zg==", "Zm9v!A==", "ab=c", "====", "Zm 9v"})
    CHECK(!base64Decode(bad).has_value());
}

}  // namespace

int main() {
  rfcVectors();
  roundTripsEveryLength();
  nonCanonicalRefused();
  TEST_MAIN_END();
}
