#include "shapes.h"

#include <algorithm>
#include <stdexcept>

namespace trtfarm {

namespace {

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

// The batch symbol may only live in dim 0: backends substitute the run's batch there.
void requireBatchFirst(const Dims& out) {
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i] == kDynamic)
      fail("the result " + formatDims(out) + " would move the dynamic batch to dimension " +
           std::to_string(i) + "; only dimension 0 may be dynamic");
}

int64_t broadcastDim(int64_t a, int64_t b, const Dims& da, const Dims& db) {
  if (a == b) return a;
  if (a == 1) return b;
  if (b == 1) return a;
  const std::string shapes = formatDims(da) + " and " + formatDims(db);
  if (a == kDynamic || b == kDynamic)
    fail("cannot broadcast the dynamic batch against a fixed size in " + shapes);
  fail("shapes " + shapes + " are not broadcastable");
}

}  // namespace

int64_t numelPerBatch(const Dims& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d == kDynamic ? 1 : d;
  return n;
}

bool isDynamic(const Dims& dims) { return !dims.empty() && dims[0] == kDynamic; }

Dims atBatch(const Dims& shape, int64_t batch) {
  Dims out = shape;
  if (isDynamic(out)) out[0] = batch;
  return out;
}

int64_t elementsAt(const Dims& shape, int64_t batch) { return numelPerBatch(shape) * (isDynamic(shape) ? batch : 1); }

std::string formatDims(const Dims& dims) {
  std::string s = "(";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + ")";
}

Dims fullyConnectedShape(const Dims& in, int64_t outputs) {
  if (in.size() < 2) fail("input " + formatDims(in) + " needs at least 2 dimensions (N, K…)");
  if (outputs <= 0) fail("outputs must be a positive integer, got " + std::to_string(outputs));
  Dims out(in.size(), 1);
  out[0] = in[0];
  out[1] = outputs;
  return out;
}

Dims broadcastShape(const Dims& a, const Dims& b) {
  const size_t rank = std::max(a.size(), b.size());
  Dims out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    out[i] = broadcastDim(da, db, a, b);
  }
  requireBatchFirst(out);
  return out;
}

Dims matrixMultiplyShape(const Dims& a, const Dims& b, bool transposeA, bool transposeB) {
  if (a.size() < 2 || b.size() < 2)
    fail("operands " + formatDims(a) + " and " + formatDims(b) + " need at least 2 dimensions each");
  const int64_t m = a[a.size() - (transposeA ? 1 : 2)], ka = a[a.size() - (transposeA ? 2 : 1)];
  const int64_t kb = b[b.size() - (transposeB ? 1 : 2)], n = b[b.size() - (transposeB ? 2 : 1)];
  if (ka == kDynamic || kb == kDynamic) fail("the contracted dimension cannot be the dynamic batch");
  if (ka != kb)
    fail("inner dimensions differ: " + formatDims(a) + (transposeA ? "ᵀ" : "") + " · " + formatDims(b) +
         (transposeB ? "ᵀ" : "") + " contracts " + std::to_string(ka) + " with " + std::to_string(kb));
  const Dims leadA(a.begin(), a.end() - 2), leadB(b.begin(), b.end() - 2);
  Dims out;
  const size_t rank = std::max(leadA.size(), leadB.size());
  for (size_t i = 0; i < rank; ++i) {
    const int64_t da = i < rank - leadA.size() ? 1 : leadA[i - (rank - leadA.size())];
    const int64_t db = i < rank - leadB.size() ? 1 : leadB[i - (rank - leadB.size())];
    out.push_back(broadcastDim(da, db, a, b));
  }
  out.push_back(m);
  out.push_back(n);
  requireBatchFirst(out);
  return out;
}

Dims reshapeShape(const Dims& in, const Dims& spec) {
  if (spec.empty()) fail("shape must have at least one dimension");
  Dims out(spec.size());
  int inferred = -1;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] == 0) {
      if (i >= in.size())
        fail("shape " + formatDims(spec) + " copies dimension " + std::to_string(i) + " (0) but the input " +
             formatDims(in) + " has only " + std::to_string(in.size()));
      out[i] = in[i];
    } else if (spec[i] == -1) {
      if (inferred >= 0) fail("shape " + formatDims(spec) + " has more than one -1");
      inferred = static_cast<int>(i);
    } else if (spec[i] < -1) {
      fail("shape " + formatDims(spec) + " has an invalid dimension " + std::to_string(spec[i]));
    } else {
      out[i] = spec[i];
    }
  }
  const int64_t total = numelPerBatch(in);
  int64_t known = 1;
  for (size_t i = 0; i < out.size(); ++i)
    if (static_cast<int>(i) != inferred && out[i] != kDynamic) known *= out[i];
  const bool batched = isDynamic(in);
  if (batched) {
    // Per batch item, the tail must hold exactly what the input's tail held.
    if (inferred == 0) {
      out[0] = kDynamic;
    } else if (out[0] != kDynamic) {
      fail("a reshape of the batch tensor " + formatDims(in) + " must keep the batch in dimension 0 (0 or -1), got " +
           formatDims(spec));
    } else if (inferred > 0) {
      if (known == 0 || total % known != 0)
        fail("cannot infer -1 in " + formatDims(spec) + ": " + std::to_string(total) +
             " elements per batch item are not divisible by " + std::to_string(known));
      out[inferred] = total / known;
      known = total;
    }
    if (known != total)
      fail("shape " + formatDims(spec) + " holds " + std::to_string(known) + " elements per batch item but the input " +
           formatDims(in) + " holds " + std::to_string(total) + "; the batch must stay unscaled in dimension 0");
    requireBatchFirst(out);
    return out;
  }
  if (inferred >= 0) {
    if (total % known != 0)
      fail("cannot infer -1 in " + formatDims(spec) + ": " + std::to_string(total) + " elements are not divisible by " +
           std::to_string(known));
    out[inferred] = total / known;
    known = total;
  }
  if (known != total)
    fail("shape " + formatDims(spec) + " holds " + std::to_string(known) + " elements but the input " + formatDims(in) +
         " holds " + std::to_string(total));
  return out;
}

}  // namespace trtfarm
