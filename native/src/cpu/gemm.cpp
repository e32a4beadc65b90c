#include "gemm.h"

#include <algorithm>
#include <array>
#include <utility>

#include "activation.h"
#include "simd.h"

namespace trtfarm::cpu {

namespace {

using simd::Vec;
constexpr size_t kPanel = PackedMatrix::kPanel;
constexpr int kLanes = simd::kLanes;
// Rows per micro-tile: MR×2 accumulators plus two panel vectors must fit the register file
// (32 vector registers with AVX-512, 16 otherwise). With AVX-512, 8 rows measured faster than 12
// or 14 on Zen 4 (109 vs 99 GFLOP/s on one core at 256×1024×1024): more rows run out of
// general registers for the row addresses.
constexpr int kMr = kLanes == 16 ? 8 : 6;
// Depth of one pass over a panel: long enough to amortize reloading the output tile, short enough
// that the row blocks of a tile find the kKc×kPanel slice (64 KiB with AVX-512) in L2.
constexpr size_t kKc = 512;
// How far ahead (in depth steps, 128 bytes each with AVX-512) a multi-row tile prefetches its
// panel: the first row block of a tile streams the slice from L3, and at small batch that stream
// is the bottleneck (measured 10% faster at 16 rows on Zen 4; a single row gains nothing, as the
// hardware prefetcher already keeps up with its lighter arithmetic).
constexpr size_t kPrefetchSteps = 32;
// Below this many multiply-adds, waking other threads costs more than it saves.
constexpr size_t kParallelMinMacs = 1 << 16;

struct Finish {
  const float* bias;  // kPanel floats or null
  Activation act;
  float alpha;
};

// c[0..MR, 0..kPanel) (+)= a[0..MR, kBegin..kEnd) · panel[kBegin..kEnd, 0..kPanel); on the last
// pass of the depth loop `finish` adds the bias and applies the activations that are cheap in
// registers (the others run over the stored tile).
template <int MR>
void microKernel(const float* a, size_t lda, const float* panel, size_t kBegin, size_t kEnd, float* c,
                 size_t ldc, bool accumulate, const Finish* finish) {
  Vec acc[MR][2];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = accumulate ? simd::load(c + r * ldc) : simd::zero();
    acc[r][1] = accumulate ? simd::load(c + r * ldc + kLanes) : simd::zero();
  }
  for (size_t kk = kBegin; kk < kEnd; ++kk) {
    if constexpr (MR > 1) {
      __builtin_prefetch(panel + (kk + kPrefetchSteps) * kPanel);
      __builtin_prefetch(panel + (kk + kPrefetchSteps) * kPanel + kPanel / 2);
    }
    const Vec b0 = simd::load(panel + kk * kPanel);
    const Vec b1 = simd::load(panel + kk * kPanel + kLanes);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const Vec ar = simd::broadcast(a[r * lda + kk]);
      acc[r][0] = simd::fma(ar, b0, acc[r][0]);
      acc[r][1] = simd::fma(ar, b1, acc[r][1]);
    }
  }
  if (finish) {
    if (finish->bias) {
      const Vec bias0 = simd::load(finish->bias), bias1 = simd::load(finish->bias + kLanes);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        acc[r][0] = simd::add(acc[r][0], bias0);
        acc[r][1] = simd::add(acc[r][1], bias1);
      }
    }
    if (finish->act == Activation::Relu || finish->act == Activation::LeakyRelu) {
      // leakyRelu(x) = max(x, 0) + alpha·min(x, 0); relu is alpha = 0.
      const Vec slope = simd::broadcast(finish->act == Activation::Relu ? 0.0f : finish->alpha);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        for (int h = 0; h < 2; ++h) {
          acc[r][h] = simd::fma(slope, simd::min(acc[r][h], simd::zero()), simd::max(acc[r][h], simd::zero()));
        }
      }
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    simd::store(c + r * ldc, acc[r][0]);
    simd::store(c + r * ldc + kLanes, acc[r][1]);
  }
}

using Kernel = void (*)(const float*, size_t, const float*, size_t, size_t, float*, size_t, bool, const Finish*);

template <size_t... R>
constexpr std::array<Kernel, sizeof...(R)> kernelTable(std::index_sequence<R...>) {
  return {&microKernel<static_cast<int>(R) + 1>...};
}
// kKernels[m - 1] handles a tile of m rows.
constexpr auto kKernels = kernelTable(std::make_index_sequence<kMr>());

struct Problem {
  const float* a;
  size_t lda, rows;
  const PackedMatrix& b;
  Activation act;
  float alpha;
  float* c;
  size_t ldc;
};

// Rows [r0, r1) × panels [p0, p1) of the output, depth pass by depth pass.
void runTile(const Problem& pr, size_t r0, size_t r1, size_t p0, size_t p1) {
  const size_t k = pr.b.k(), n = pr.b.n();
  const bool lateActivation = pr.act != Activation::None && pr.act != Activation::Relu &&
                              pr.act != Activation::LeakyRelu;
  alignas(64) float edge[kMr * kPanel];
  // At least one pass, so that k = 0 still writes act(bias).
  for (size_t k0 = 0;; k0 += kKc) {
    const size_t k1 = std::min(k, k0 + kKc);
    const bool last = k1 == k;
    for (size_t p = p0; p < p1; ++p) {
      const Finish finish{pr.b.bias(p), pr.act, pr.alpha};
      const size_t col = p * kPanel;
      const size_t width = std::min(kPanel, n - col);
      for (size_t r = r0; r < r1; r += kMr) {
        const size_t m = std::min<size_t>(kMr, r1 - r);
        float* c = pr.c + r * pr.ldc + col;
        const Kernel kernel = kKernels[m - 1];
        const float* a = pr.a + r * pr.lda;
        if (width == kPanel) {
          kernel(a, pr.lda, pr.b.panel(p), k0, k1, c, pr.ldc, k0 > 0, last ? &finish : nullptr);
        } else {
          // The last, narrower panel goes through a full-width scratch tile.
          for (size_t i = 0; k0 > 0 && i < m; ++i) std::copy(c + i * pr.ldc, c + i * pr.ldc + width, edge + i * kPanel);
          kernel(a, pr.lda, pr.b.panel(p), k0, k1, edge, kPanel, k0 > 0, last ? &finish : nullptr);
          for (size_t i = 0; i < m; ++i) std::copy(edge + i * kPanel, edge + i * kPanel + width, c + i * pr.ldc);
        }
        if (last && lateActivation) {
          for (size_t i = 0; i < m; ++i) activateAll(c + i * pr.ldc, c + i * pr.ldc, width, pr.act, pr.alpha);
        }
      }
    }
    if (last) break;
  }
}

size_t ceilDiv(size_t a, size_t b) { return (a + b - 1) / b; }

}  // namespace

void gemm(const float* a, size_t lda, size_t rows, const PackedMatrix& b, Activation act, float alpha,
          float* c, size_t ldc, ThreadPool& pool) {
  if (rows == 0 || b.n() == 0) return;
  const Problem problem{a, lda, rows, b, act, alpha, c, ldc};
  const size_t panels = b.panels();
  const size_t rowBlocks = ceilDiv(rows, kMr);
  // Split columns first (each thread streams its own part of the weights once, which is what
  // matters at small batch), then rows; a few tasks per thread even out uneven cores.
  size_t panelChunks = 1, rowChunks = 1;
  if (pool.size() > 1 && rows * b.k() * b.n() >= kParallelMinMacs) {
    const size_t wanted = pool.size() * 4;
    panelChunks = std::min(panels, wanted);
    rowChunks = std::min(rowBlocks, ceilDiv(wanted, panelChunks));
  }
  const size_t panelsPerChunk = ceilDiv(panels, panelChunks);
  const size_t blocksPerChunk = ceilDiv(rowBlocks, rowChunks);
  panelChunks = ceilDiv(panels, panelsPerChunk);
  rowChunks = ceilDiv(rowBlocks, blocksPerChunk);
  pool.parallelFor(panelChunks * rowChunks, [&](size_t task) {
    const size_t pc = task % panelChunks, rc = task / panelChunks;
    const size_t p0 = pc * panelsPerChunk, p1 = std::min(panels, p0 + panelsPerChunk);
    const size_t r0 = rc * blocksPerChunk * kMr, r1 = std::min(rows, r0 + blocksPerChunk * kMr);
    runTile(problem, r0, r1, p0, p1);
  });
}

}  // namespace trtfarm::cpu
