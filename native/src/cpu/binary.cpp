#include "binary.h"

#include <algorithm>

#include "broadcast.h"

namespace trtfarm::cpu {

namespace {

// Output elements per parallel task: below this, waking threads costs more than the loop.
constexpr size_t kElementsPerTask = 1 << 15;

// Rows [o0, o1) of the output seen as [outer, inner] (inner = its last dim).
template <typename F>
void broadcastRows(const float* a, const std::vector<size_t>& as, const float* b, const std::vector<size_t>& bs,
                   float* out, const Dims& shape, size_t o0, size_t o1, F f) {
  const size_t rank = shape.size();
  const size_t inner = static_cast<size_t>(shape[rank - 1]);
  const size_t ai = as[rank - 1], bi = bs[rank - 1];
  // Odometer over the outer dims, started at row o0.
  std::vector<size_t> index(rank, 0);
  size_t aOff = 0, bOff = 0;
  for (size_t d = rank - 1, rest = o0; d-- > 0;) {
    index[d] = rest % static_cast<size_t>(shape[d]);
    rest /= static_cast<size_t>(shape[d]);
    aOff += index[d] * as[d];
    bOff += index[d] * bs[d];
  }
  out += o0 * inner;
  for (size_t o = o0; o < o1; ++o, out += inner) {
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

template <typename F>
void broadcast(const float* a, const Dims& aShape, const float* b, const Dims& bShape, float* out,
               const Dims& outShape, ThreadPool& pool, F f) {
  if (outShape.empty()) {  // scalars
    out[0] = f(a[0], b[0]);
    return;
  }
  const auto as = broadcastStrides(aShape, outShape.size());
  const auto bs = broadcastStrides(bShape, outShape.size());
  const size_t inner = std::max<size_t>(1, static_cast<size_t>(outShape.back()));
  size_t rows = 1;
  for (size_t d = 0; d + 1 < outShape.size(); ++d) rows *= static_cast<size_t>(outShape[d]);
  const size_t tasks = std::min(rows, std::max<size_t>(1, rows * inner / kElementsPerTask));
  const size_t rowsPerTask = (rows + tasks - 1) / tasks;
  pool.parallelFor(tasks, [&](size_t t) {
    broadcastRows(a, as, b, bs, out, outShape, t * rowsPerTask, std::min(rows, (t + 1) * rowsPerTask), f);
  });
}

}  // namespace

void binary(BinaryOp op, const float* a, const Dims& aShape, const float* b, const Dims& bShape, float* out,
            const Dims& outShape, ThreadPool& pool) {
  switch (op) {
    case BinaryOp::Sum: return broadcast(a, aShape, b, bShape, out, outShape, pool, [](float x, float y) { return x + y; });
    case BinaryOp::Prod: return broadcast(a, aShape, b, bShape, out, outShape, pool, [](float x, float y) { return x * y; });
    case BinaryOp::Sub: return broadcast(a, aShape, b, bShape, out, outShape, pool, [](float x, float y) { return x - y; });
    case BinaryOp::Max: return broadcast(a, aShape, b, bShape, out, outShape, pool, [](float x, float y) { return x > y ? x : y; });
    case BinaryOp::Min: return broadcast(a, aShape, b, bShape, out, outShape, pool, [](float x, float y) { return x < y ? x : y; });
  }
}

}  // namespace trtfarm::cpu
