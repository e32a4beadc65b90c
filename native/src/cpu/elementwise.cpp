#include "elementwise.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "aligned_buffer.h"
#include "gemm.h"
#include "packed_matrix.h"

namespace trtfarm::cpu {

namespace {

// Element strides of `shape` seen through the right-aligned broadcast to rank `rank`: 0 where a
// dim is broadcast or missing.
std::vector<size_t> broadcastStrides(const Dims& shape, size_t rank) {
  std::vector<size_t> strides(rank, 0);
  size_t stride = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    const size_t dim = shape.size() - 1 - i;
    if (shape[dim] != 1) strides[rank - 1 - i] = stride;
    stride *= static_cast<size_t>(shape[dim]);
  }
  return strides;
}

template <typename F>
void broadcastLoop(const float* a, const std::vector<size_t>& as, const float* b, const std::vector<size_t>& bs,
                   float* out, const Dims& shape, F f) {
  const size_t rank = shape.size();
  if (rank == 0) {
    out[0] = f(a[0], b[0]);
    return;
  }
  const size_t inner = static_cast<size_t>(shape[rank - 1]);
  const size_t ai = as[rank - 1], bi = bs[rank - 1];
  size_t outer = 1;
  for (size_t d = 0; d + 1 < rank; ++d) outer *= static_cast<size_t>(shape[d]);
  std::vector<size_t> index(rank, 0);
  size_t aOff = 0, bOff = 0;
  for (size_t o = 0; o < outer; ++o, out += inner) {
    const float* ap = a + aOff;
    const float* bp = b + bOff;
    // Separate loops for the common stride patterns, so that they vectorize.
    if (ai == 1 && bi == 1) {
      for (size_t i = 0; i < inner; ++i) out[i] = f(ap[i], bp[i]);
    } else if (ai == 1 && bi == 0) {
      for (size_t i = 0; i < inner; ++i) out[i] = f(ap[i], bp[0]);
    } else if (ai == 0 && bi == 1) {
      for (size_t i = 0; i < inner; ++i) out[i] = f(ap[0], bp[i]);
    } else {
      for (size_t i = 0; i < inner; ++i) out[i] = f(ap[0], bp[0]);
    }
    // Odometer over the outer dims.
    for (size_t d = rank - 1; d-- > 0;) {
      aOff += as[d];
      bOff += bs[d];
      if (++index[d] < static_cast<size_t>(shape[d])) break;
      aOff -= as[d] * index[d];
      bOff -= bs[d] * index[d];
      index[d] = 0;
    }
  }
}

// A [rows, cols] row-major copy of the transpose of src ([cols, rows]).
AlignedBuffer transposed(const float* src, size_t rows, size_t cols) {
  AlignedBuffer t(rows * cols);
  for (size_t c = 0; c < cols; ++c)
    for (size_t r = 0; r < rows; ++r) t.data()[r * cols + c] = src[c * rows + r];
  return t;
}

}  // namespace

void binary(BinaryOp op, const float* a, const Dims& aShape, const float* b, const Dims& bShape, float* out,
            const Dims& outShape) {
  const auto as = broadcastStrides(aShape, outShape.size());
  const auto bs = broadcastStrides(bShape, outShape.size());
  switch (op) {
    case BinaryOp::Sum: return broadcastLoop(a, as, b, bs, out, outShape, [](float x, float y) { return x + y; });
    case BinaryOp::Prod: return broadcastLoop(a, as, b, bs, out, outShape, [](float x, float y) { return x * y; });
    case BinaryOp::Sub: return broadcastLoop(a, as, b, bs, out, outShape, [](float x, float y) { return x - y; });
    case BinaryOp::Max: return broadcastLoop(a, as, b, bs, out, outShape, [](float x, float y) { return x > y ? x : y; });
    case BinaryOp::Min: return broadcastLoop(a, as, b, bs, out, outShape, [](float x, float y) { return x < y ? x : y; });
  }
}

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
  const float* packedFrom = nullptr;
  std::unique_ptr<PackedMatrix> packed;
  for (size_t i = 0; i < count; ++i) {
    size_t aOff = 0, bOff = 0;
    for (size_t d = 0, rest = i; d < rank; ++d) {
      const size_t idx = rest / batchStrides[d];
      rest %= batchStrides[d];
      aOff += idx * aStrides[d];
      bOff += idx * bStrides[d];
    }
    const float* am = a + aOff * m * k;
    const float* bm = b + bOff * k * n;
    // A broadcast b (a weight shared by the whole batch) is packed once.
    if (bm != packedFrom) {
      packed = transposeB ? std::make_unique<PackedMatrix>(bm, k, n, 1, k) : std::make_unique<PackedMatrix>(bm, k, n, n, 1);
      packedFrom = bm;
    }
    if (transposeA) {
      const AlignedBuffer at = transposed(am, m, k);
      gemm(at.data(), k, m, *packed, Activation::None, 0.0f, out + i * m * n, n, pool);
    } else {
      gemm(am, k, m, *packed, Activation::None, 0.0f, out + i * m * n, n, pool);
    }
  }
}

}  // namespace trtfarm::cpu
