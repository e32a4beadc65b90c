#include "batched_matmul.h"

namespace trtfarm::cuda {

BatchedMatmul batchedMatmul(DType type, Precision precision, const Dims& a, const Dims& b, const Dims& out,
                            bool transposeA, bool transposeB) {
  const int64_t m = transposeA ? a[a.size() - 1] : a[a.size() - 2];
  const int64_t k = transposeA ? a[a.size() - 2] : a[a.size() - 1];
  const int64_t n = transposeB ? b[b.size() - 2] : b[b.size() - 1];

  // Leading (batch) dimensions, right-aligned to the output's.
  const size_t lead = out.size() - 2;
  auto leading = [&](const Dims& d) {
    Dims l(lead, 1);
    for (size_t i = 0; i + 2 < d.size(); ++i) l[lead - (d.size() - 2) + i] = d[i];
    return l;
  };
  const Dims la = leading(a), lb = leading(b), lo(out.begin(), out.end() - 2);
  int64_t count = 1, countA = 1, countB = 1;
  for (size_t i = 0; i < lead; ++i) {
    count *= lo[i];
    countA *= la[i];
    countB *= lb[i];
  }

  BatchedMatmul result;
  LtShape& s = result.shape;
  s.type = type;
  s.precision = precision;
  s.m = n;
  s.n = m;
  s.k = k;
  s.transA = transposeB;
  s.lda = transposeB ? k : n;
  s.transB = transposeA;
  s.ldb = transposeA ? m : k;
  s.ldd = n;
  // One strided-batched call when each operand is either whole-batch or broadcast entirely.
  if ((countA == count || countA == 1) && (countB == count || countB == 1)) {
    s.batchCount = static_cast<int32_t>(count);
    s.strideA = countB == 1 ? 0 : n * k;
    s.strideB = countA == 1 ? 0 : m * k;
    s.strideD = m * n;
    return result;
  }
  // Mixed broadcasting: one product per output matrix, each operand indexed through its own dims.
  for (int64_t o = 0; o < count; ++o) {
    int64_t rest = o, ia = 0, ib = 0, strideA = 1, strideB = 1;
    for (size_t d = lead; d-- > 0;) {
      const int64_t coord = rest % lo[d];
      rest /= lo[d];
      if (la[d] != 1) ia += coord * strideA;
      if (lb[d] != 1) ib += coord * strideB;
      strideA *= la[d];
      strideB *= lb[d];
    }
    result.products.push_back({ia * m * k, ib * n * k, o * m * n});
  }
  return result;
}

}  // namespace trtfarm::cuda
