#include "broadcast_strides.h"

#include <string>

#include "../core/error.h"

namespace trtfarm::cuda {

Broadcast broadcastStrides(const Dims& a, const Dims& b, const Dims& out) {
  if (out.size() > static_cast<size_t>(kMaxRank))
    throw Error(ErrorCode::Plan, "element-wise op of rank over " + std::to_string(kMaxRank));
  Broadcast shape;
  shape.rank = static_cast<int>(out.size());
  shape.count = 1;
  int64_t strideA = 1, strideB = 1;
  for (int d = shape.rank - 1; d >= 0; --d) {
    shape.dims[d] = out[d];
    shape.count *= out[d];
    const int ia = d - (shape.rank - static_cast<int>(a.size()));
    const int ib = d - (shape.rank - static_cast<int>(b.size()));
    const int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    shape.aStrides[d] = da == 1 ? 0 : strideA;
    shape.bStrides[d] = db == 1 ? 0 : strideB;
    strideA *= da;
    strideB *= db;
  }
  return shape;
}

}  // namespace trtfarm::cuda
