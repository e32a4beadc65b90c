#include "reference.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/half.h"

namespace trtfarm::reference {
namespace {

size_t numel(const Dims& d, int64_t batch) {
  size_t n = 1;
  for (size_t i = 0; i < d.size(); ++i) n *= static_cast<size_t>(i == 0 && d[i] == kDynamic ? batch : d[i]);
  return n;
}

Dims concrete(Dims d, int64_t batch) {
  if (!d.empty() && d[0] == kDynamic) d[0] = batch;
  return d;
}

double widened(const Weights& w, size_t i) {
  if (w.dtype == DType::F8E4M3) {  // the matrix, then one fp32 scale per row
    const size_t count = static_cast<size_t>(w.shape.at(0) * w.shape.at(1));
    float scale;
    std::memcpy(&scale, w.bytes.data() + count + (i / w.shape[1]) * 4, 4);
    return static_cast<double>(e4m3ToFloat(w.bytes[i])) * scale;
  }
  if (w.dtype == DType::F32) {
    float f;
    std::memcpy(&f, w.bytes.data() + 4 * i, 4);
    return f;
  }
  const uint16_t h = static_cast<uint16_t>(w.bytes[2 * i] | (w.bytes[2 * i + 1] << 8));
  return w.dtype == DType::F16 ? halfToFloat(h) : bf16ToFloat(h);
}

// Offset in a right-aligned, broadcast operand of shape `s` for the output multi-index `idx`.
size_t broadcastOffset(const Dims& s, const std::vector<int64_t>& idx) {
  size_t off = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const int64_t dim = s[i];
    const int64_t at = idx[idx.size() - s.size() + i];
    off = off * static_cast<size_t>(dim) + static_cast<size_t>(dim == 1 ? 0 : at);
  }
  return off;
}

std::vector<int64_t> unravel(size_t flat, const Dims& shape) {
  std::vector<int64_t> idx(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    idx[i] = static_cast<int64_t>(flat % static_cast<size_t>(shape[i]));
    flat /= static_cast<size_t>(shape[i]);
  }
  return idx;
}

}  // namespace

double activate(double x, Activation act, double alpha) {
  switch (act) {
    case Activation::None: return x;
    case Activation::Relu: return x > 0 ? x : 0;
    case Activation::Sigmoid: return 1 / (1 + std::exp(-x));
    case Activation::Tanh: return std::tanh(x);
    case Activation::Gelu: return 0.5 * x * std::erfc(-x / std::sqrt(2.0));  // = 1 + erf, without its cancellation
    case Activation::LeakyRelu: return x > 0 ? x : alpha * x;
  }
  return x;
}

std::vector<std::vector<double>> run(const Program& p, int64_t batch, const std::vector<std::vector<float>>& inputs) {
  std::vector<std::vector<double>> val(p.values.size());
  for (size_t v = 0; v < p.values.size(); ++v) {
    if (p.values[v].constant < 0) continue;
    const Weights& w = p.weights[p.values[v].constant];
    for (size_t i = 0; i < numel(w.shape, 1); ++i) val[v].push_back(widened(w, i));
  }
  for (size_t i = 0; i < p.inputs.size(); ++i) val[p.inputs[i]].assign(inputs[i].begin(), inputs[i].end());
  for (const Op& op : p.ops) {
    const Dims outShape = concrete(p.values[op.output].shape, batch);
    std::vector<double>& out = val[op.output];
    out.assign(numel(outShape, batch), 0.0);
    const auto& a = val[op.inputs[0]];
    const Dims aShape = concrete(p.values[op.inputs[0]].shape, batch);
    switch (op.kind) {
      case Op::Kind::Gemm: {
        const Weights& w = p.weights[op.weight];
        const size_t rows = a.size() / op.k;
        for (size_t r = 0; r < rows; ++r)
          for (int64_t j = 0; j < op.n; ++j) {
            double s = op.bias >= 0 ? widened(p.weights[op.bias], j) : 0.0;
            for (int64_t kk = 0; kk < op.k; ++kk) s += a[r * op.k + kk] * widened(w, j * op.k + kk);
            out[r * op.n + j] = activate(s, op.activation, op.alpha);
          }
        break;
      }
      case Op::Kind::MatMul: {
        const auto& b = val[op.inputs[1]];
        Dims as = aShape, bs = concrete(p.values[op.inputs[1]].shape, batch);
        bool ta = op.transposeA, tb = op.transposeB;
        if (as.size() == 1) as.insert(as.begin(), 1), ta = false;
        if (bs.size() == 1) bs.push_back(1), tb = false;
        const int64_t m = ta ? as.back() : as[as.size() - 2], k = ta ? as[as.size() - 2] : as.back();
        const int64_t n = tb ? bs[bs.size() - 2] : bs.back();
        const Dims aBatch(as.begin(), as.end() - 2), bBatch(bs.begin(), bs.end() - 2);
        const size_t mats = out.size() / static_cast<size_t>(m * n);
        Dims outBatch;
        for (size_t i = 0, rank = std::max(aBatch.size(), bBatch.size()); i < rank; ++i) {
          const int64_t da = i + aBatch.size() >= rank ? aBatch[i + aBatch.size() - rank] : 1;
          const int64_t db = i + bBatch.size() >= rank ? bBatch[i + bBatch.size() - rank] : 1;
          outBatch.push_back(std::max(da, db));
        }
        for (size_t t = 0; t < mats; ++t) {
          const auto idx = unravel(t, outBatch);
          const size_t ao = broadcastOffset(aBatch, idx) * m * k, bo = broadcastOffset(bBatch, idx) * k * n;
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
              double s = 0;
              for (int64_t q = 0; q < k; ++q)
                s += a[ao + (ta ? q * m + i : i * k + q)] * b[bo + (tb ? j * k + q : q * n + j)];
              out[t * m * n + i * n + j] = s;
            }
        }
        break;
      }
      case Op::Kind::Binary: {
        const auto& b = val[op.inputs[1]];
        const Dims bShape = concrete(p.values[op.inputs[1]].shape, batch);
        for (size_t i = 0; i < out.size(); ++i) {
          const auto idx = unravel(i, outShape);
          const double x = a[broadcastOffset(aShape, idx)], y = b[broadcastOffset(bShape, idx)];
          switch (op.binary) {
            case BinaryOp::Sum: out[i] = x + y; break;
            case BinaryOp::Prod: out[i] = x * y; break;
            case BinaryOp::Sub: out[i] = x - y; break;
            case BinaryOp::Max: out[i] = std::max(x, y); break;
            case BinaryOp::Min: out[i] = std::min(x, y); break;
          }
        }
        break;
      }
      case Op::Kind::Unary:
        for (size_t i = 0; i < out.size(); ++i) out[i] = activate(a[i], op.activation, op.alpha);
        break;
      case Op::Kind::Alias:
        out = a;
        break;
    }
  }
  std::vector<std::vector<double>> outs;
  for (int32_t v : p.outputs) outs.push_back(val[v]);
  return outs;
}

}  // namespace trtfarm::reference
