#include "crc32.h"

#include <array>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TRTFARM_CRC32_FOLD 1
#endif

namespace trtfarm {

namespace {

// Slicing-by-8 (eight bytes per step through eight tables): plans carry hundreds of megabytes
// of weights, and a byte-at-a-time CRC was most of the time spent writing and reading them.
using Tables = std::array<std::array<uint32_t, 256>, 8>;

Tables makeTables() {
  Tables t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (int k = 1; k < 8; ++k)
    for (uint32_t i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
  return t;
}

uint32_t littleEndian32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16 |
         static_cast<uint32_t>(p[3]) << 24;
}

// `c` is the running register (not inverted at either end).
uint32_t sliced(uint32_t c, const uint8_t* data, size_t size) {
  static const Tables t = makeTables();
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    const uint32_t lo = littleEndian32(data + i) ^ c, hi = littleEndian32(data + i + 4);
    c = t[7][lo & 0xff] ^ t[6][(lo >> 8) & 0xff] ^ t[5][(lo >> 16) & 0xff] ^ t[4][lo >> 24] ^ t[3][hi & 0xff] ^
        t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
  }
  for (; i < size; ++i) c = t[0][(c ^ data[i]) & 0xff] ^ (c >> 8);
  return c;
}

#ifdef TRTFARM_CRC32_FOLD
// Carry-less multiplication folding (Gopal et al., "Fast CRC Computation for Generic Polynomials
// Using PCLMULQDQ", Intel 2009; the constants of Linux's crc32-pclmul for the reflected
// polynomial): 64 bytes per step, about ten times the tables' speed, so that a plan's checksum
// costs little next to writing it. `size` is a multiple of 16, at least 64.
#define TRTFARM_CRC32_TARGET __attribute__((target("pclmul,sse4.1")))

TRTFARM_CRC32_TARGET __m128i load(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// x's two halves multiplied by k's, summed, plus the next block.
TRTFARM_CRC32_TARGET __m128i fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)), next);
}

TRTFARM_CRC32_TARGET uint32_t folded(uint32_t c, const uint8_t* data, size_t size) {
  const __m128i k1k2 = _mm_set_epi64x(0x1c6e41596, 0x154442bd4);  // fold by 512 bits
  const __m128i k3k4 = _mm_set_epi64x(0x0ccaa009e, 0x1751997d0);  // fold by 128 bits
  const __m128i k5 = _mm_set_epi64x(0, 0x163cd6124);
  const __m128i poly = _mm_set_epi64x(0x1f7011641, 0x1db710641);  // μ, P (Barrett)
  const __m128i mask32 = _mm_set_epi32(0, 0, 0, -1);
  __m128i x1 = _mm_xor_si128(load(data), _mm_cvtsi32_si128(static_cast<int>(c)));
  __m128i x2 = load(data + 16), x3 = load(data + 32), x4 = load(data + 48);
  size_t i = 64;
  for (; i + 64 <= size; i += 64) {
    x1 = fold(x1, k1k2, load(data + i));
    x2 = fold(x2, k1k2, load(data + i + 16));
    x3 = fold(x3, k1k2, load(data + i + 32));
    x4 = fold(x4, k1k2, load(data + i + 48));
  }
  x1 = fold(x1, k3k4, x2);
  x1 = fold(x1, k3k4, x3);
  x1 = fold(x1, k3k4, x4);
  for (; i + 16 <= size; i += 16) x1 = fold(x1, k3k4, load(data + i));
  // 128 → 64 bits, then 64 → 32 by Barrett reduction.
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x10), _mm_srli_si128(x1, 8));
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5, 0x00), _mm_srli_si128(x1, 4));
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, mask32), poly, 0x00);
  return static_cast<uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, t), 1));
}

bool canFold() {
  static const bool supported = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return supported;
}
#endif

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size) {
  uint32_t c = 0xffffffffu;
#ifdef TRTFARM_CRC32_FOLD
  if (size >= 64 && canFold()) {
    const size_t bulk = size & ~size_t{15};
    c = folded(c, data, bulk);
    data += bulk;
    size -= bulk;
  }
#endif
  return sliced(c, data, size) ^ 0xffffffffu;
}

}  // namespace trtfarm
