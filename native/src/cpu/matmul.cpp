#include "matmul.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "aligned_buffer.h"
#include "broadcast.h"
#include "gemm.h"
#include "packed_matrix.h"

namespace trtfarm::cpu {

namespace {

// Below this many multiply-adds per matrix, the batch's matrices run in parallel instead.
constexpr size_t kMatrixPerTaskMacs = 1 << 16;

// A [rows, cols] row-major copy of the transpose of src ([cols, rows]).
AlignedBuffer transposed(const float* src, size_t rows, size_t cols) {
  AlignedBuffer t(rows * cols);
  for (size_t c = 0; c < cols; ++c)
    for (size_t r = 0; r < rows; ++r) t.data()[r * cols + c] = src[c * rows + r];
  return t;
}

}  // namespace

void matmul(const float* a, const Dims& aShape, bool transposeA, const float* b, const Dims& bShape,
            bool transposeB, float* out, ThreadPool& pool) {
  // Rank-1 operands become matrices (numpy): a vector a is [1, K], a vector b is [K, 1].
  Dims as = aShape, bs = bShape;
  if (as.size() == 1) {
    as.insert(as.begin(), 1);
    transposeA = false;
  }
  if (bs.size() == 1) {
    bs.push_back(1);
    transposeB = false;
  }
  const size_t ar = as.size(), br = bs.size();
  const size_t m = static_cast<size_t>(transposeA ? as[ar - 1] : as[ar - 2]);
  const size_t k = static_cast<size_t>(transposeA ? as[ar - 2] : as[ar - 1]);
  const size_t n = static_cast<size_t>(transposeB ? bs[br - 2] : bs[br - 1]);
  const Dims aBatch(as.begin(), as.end() - 2), bBatch(bs.begin(), bs.end() - 2);
  const size_t rank = std::max(aBatch.size(), bBatch.size());
  Dims batch(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < aBatch.size() ? aBatch[aBatch.size() - 1 - i] : 1;
    const int64_t db = i < bBatch.size() ? bBatch[bBatch.size() - 1 - i] : 1;
    batch[rank - 1 - i] = std::max(da, db);
  }
  const auto aStrides = broadcastStrides(aBatch, rank), bStrides = broadcastStrides(bBatch, rank);
  size_t count = 1;
  for (auto d : batch) count *= static_cast<size_t>(d);

  std::vector<size_t> batchStrides(rank, 1);  // row-major strides of the output's batch dims
  for (size_t d = rank; d-- > 1;) batchStrides[d - 1] = batchStrides[d] * static_cast<size_t>(batch[d]);
  const auto pack = [&](const float* bm) {
    return transposeB ? PackedMatrix(bm, k, n, 1, k) : PackedMatrix(bm, k, n, n, 1);
  };
  // A b shared by the whole batch (a weight) is packed once.
  const bool sharedB = std::all_of(bStrides.begin(), bStrides.end(), [](size_t s) { return s == 0; });
  const std::unique_ptr<PackedMatrix> packedShared = sharedB ? std::make_unique<PackedMatrix>(pack(b)) : nullptr;
  // Small matrices (attention-like shapes) run one per task; large ones use the pool inside gemm.
  const bool perMatrixTasks = count > 1 && m * k * n < kMatrixPerTaskMacs;
  static ThreadPool serial(1);  // no threads: a task's gemm runs on the thread that took the task
  ThreadPool& gemmPool = perMatrixTasks ? serial : pool;

  const auto multiply = [&](size_t i) {
    size_t aOff = 0, bOff = 0;
    for (size_t d = 0, rest = i; d < rank; ++d) {
      const size_t idx = rest / batchStrides[d];
      rest %= batchStrides[d];
      aOff += idx * aStrides[d];
      bOff += idx * bStrides[d];
    }
    const float* am = a + aOff * m * k;
    const std::unique_ptr<PackedMatrix> packedOwn = sharedB ? nullptr : std::make_unique<PackedMatrix>(pack(b + bOff * k * n));
    const PackedMatrix& packed = sharedB ? *packedShared : *packedOwn;
    const AlignedBuffer at = transposeA ? transposed(am, m, k) : AlignedBuffer();
    gemm(transposeA ? at.data() : am, k, m, packed, Activation::None, 0.0f, out + i * m * n, n, gemmPool);
  };
  if (perMatrixTasks) {
    pool.parallelFor(count, multiply);
  } else {
    for (size_t i = 0; i < count; ++i) multiply(i);
  }
}

}  // namespace trtfarm::cpu
