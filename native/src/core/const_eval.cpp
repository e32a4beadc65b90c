#include "const_eval.h"

#include <cmath>
#include <algorithm>

#include "shapes.h"
#include "weights.h"

namespace trtfarm {

namespace {

// Offset into a tensor of shape `in` for the element at `index` of the broadcast result `out`.
int64_t broadcastOffset(const Dims& in, const Dims& out, const std::vector<int64_t>& index) {
  int64_t offset = 0;
  const size_t skip = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) offset = offset * in[i] + (in[i] == 1 ? 0 : index[i + skip]);
  return offset;
}

void nextIndex(std::vector<int64_t>& index, const Dims& shape) {
  for (size_t i = shape.size(); i-- > 0;) {
    if (++index[i] < shape[i]) return;
    index[i] = 0;
  }
}

double binary(BinaryOp op, double a, double b) {
  switch (op) {
    case BinaryOp::Sum: return a + b;
    case BinaryOp::Prod: return a * b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Max: return std::max(a, b);
    case BinaryOp::Min: return std::min(a, b);
  }
  return 0;
}

std::vector<float> gemm(const Op& op, const HostTensor& in, const Program& program, const CancelFlag* cancel) {
  const std::vector<float> w = widen(program.weights[op.weight]);
  const std::vector<float> bias = op.bias >= 0 ? widen(program.weights[op.bias]) : std::vector<float>();
  const int64_t rows = static_cast<int64_t>(in.data.size()) / op.k;
  std::vector<float> out(rows * op.n);
  for (int64_t r = 0; r < rows; ++r) {
    throwIfCancelled(cancel);
    for (int64_t j = 0; j < op.n; ++j) {
      double acc = bias.empty() ? 0 : bias[j];
      for (int64_t i = 0; i < op.k; ++i) acc += double(in.data[r * op.k + i]) * w[j * op.k + i];
      out[r * op.n + j] = static_cast<float>(activate(op.activation, acc, op.alpha));
    }
  }
  return out;
}

std::vector<float> matMul(const Op& op, const HostTensor& a, const HostTensor& b, const Dims& out,
                          const CancelFlag* cancel) {
  const size_t ra = a.shape.size(), ro = out.size();
  const int64_t m = out[ro - 2], n = out[ro - 1];
  const int64_t k = op.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Dims leadOut(out.begin(), out.end() - 2);
  const Dims leadA(a.shape.begin(), a.shape.end() - 2), leadB(b.shape.begin(), b.shape.end() - 2);
  std::vector<float> result(numelPerBatch(out));
  std::vector<int64_t> index(leadOut.size(), 0);
  const int64_t batches = numelPerBatch(leadOut);
  for (int64_t bi = 0; bi < batches; ++bi, nextIndex(index, leadOut)) {
    const float* pa = a.data.data() + broadcastOffset(leadA, leadOut, index) * m * k;
    const float* pb = b.data.data() + broadcastOffset(leadB, leadOut, index) * k * n;
    for (int64_t i = 0; i < m; ++i) {
      throwIfCancelled(cancel);
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0;
        for (int64_t p = 0; p < k; ++p)
          acc += double(op.transposeA ? pa[p * m + i] : pa[i * k + p]) * (op.transposeB ? pb[j * k + p] : pb[p * n + j]);
        result[(bi * m + i) * n + j] = static_cast<float>(acc);
      }
    }
  }
  return result;
}

}  // namespace

double activate(Activation activation, double x, double alpha) {
  switch (activation) {
    case Activation::None: return x;
    case Activation::Relu: return x > 0 ? x : 0;
    case Activation::Sigmoid: return 1 / (1 + std::exp(-x));
    case Activation::Tanh: return std::tanh(x);
    case Activation::Gelu: return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
    case Activation::LeakyRelu: return x > 0 ? x : alpha * x;
  }
  return x;
}

double evaluationFlops(const Op& op, const Program& program) {
  const double out = static_cast<double>(numelPerBatch(program.values[op.output].shape));
  switch (op.kind) {
    case Op::Kind::Gemm: return 2.0 * out * static_cast<double>(op.k);
    case Op::Kind::MatMul: {
      const Dims& a = program.values[op.inputs[0]].shape;
      return 2.0 * out * static_cast<double>(op.transposeA ? a[a.size() - 2] : a.back());
    }
    case Op::Kind::Binary:
    case Op::Kind::Unary: return out;
    case Op::Kind::Alias: return 0;
  }
  return 0;
}

HostTensor evaluateOp(const Op& op, const std::vector<const HostTensor*>& inputs, const Program& program,
                      const Dims& outShape, const CancelFlag* cancel) {
  HostTensor out{outShape, {}};
  switch (op.kind) {
    case Op::Kind::Gemm: out.data = gemm(op, *inputs[0], program, cancel); break;
    case Op::Kind::MatMul: out.data = matMul(op, *inputs[0], *inputs[1], outShape, cancel); break;
    case Op::Kind::Alias: out.data = inputs[0]->data; break;
    case Op::Kind::Unary:
      out.data.resize(inputs[0]->data.size());
      for (size_t i = 0; i < out.data.size(); ++i)
        out.data[i] = static_cast<float>(activate(op.activation, inputs[0]->data[i], op.alpha));
      break;
    case Op::Kind::Binary: {
      out.data.resize(numelPerBatch(outShape));
      std::vector<int64_t> index(outShape.size(), 0);
      for (size_t i = 0; i < out.data.size(); ++i, nextIndex(index, outShape)) {
        const double a = inputs[0]->data[broadcastOffset(inputs[0]->shape, outShape, index)];
        const double b = inputs[1]->data[broadcastOffset(inputs[1]->shape, outShape, index)];
        out.data[i] = static_cast<float>(binary(op.binary, a, b));
      }
      break;
    }
  }
  return out;
}

}  // namespace trtfarm
