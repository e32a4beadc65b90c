#include "binary.h"

#include "broadcast.h"

namespace trtfarm::cpu {

namespace {

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

}  // namespace trtfarm::cpu
