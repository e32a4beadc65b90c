#include <algorithm>

#include "passes.h"
#include "shapes.h"
#include "weights.h"

namespace trtfarm {

namespace {

// How many ops read each value; a network output counts as a reader that must keep it.
std::vector<int> readers(const Program& program) {
  std::vector<int> count(program.values.size(), 0);
  for (const Op& op : program.ops)
    for (int32_t v : op.inputs) ++count[v];
  for (int32_t v : program.outputs) count[v] += 2;
  return count;
}

// Index of the op producing each value, -1 for inputs and constants.
std::vector<int> producers(const Program& program, const std::vector<bool>& removed) {
  std::vector<int> producer(program.values.size(), -1);
  for (size_t i = 0; i < program.ops.size(); ++i)
    if (!removed[i]) producer[program.ops[i].output] = static_cast<int>(i);
  return producer;
}

bool allOnes(const Dims& dims, size_t begin, size_t end) {
  return std::all_of(dims.begin() + begin, dims.begin() + end, [](int64_t d) { return d == 1; });
}

int32_t addWeights(Program& program, Weights weights) {
  program.weights.push_back(std::move(weights));
  return static_cast<int32_t>(program.weights.size()) - 1;
}

void matMulsToGemms(Program& program) {
  for (Op& op : program.ops) {
    if (op.kind != Op::Kind::MatMul || op.transposeA) continue;
    const Value& a = program.values[op.inputs[0]];
    const Value& b = program.values[op.inputs[1]];
    const size_t rank = b.shape.size();
    if (a.constant >= 0 || b.constant < 0 || !allOnes(b.shape, 0, rank - 2)) continue;
    const int64_t k = b.shape[rank - (op.transposeB ? 1 : 2)], n = b.shape[rank - (op.transposeB ? 2 : 1)];
    Weights gemmWeights{DType::F32, {n, k}, {}};
    if (!program.shapesOnly) {
      std::vector<float> w = widen(program.weights[b.constant]);
      if (!op.transposeB) {  // [k, n] → [n, k]
        std::vector<float> t(w.size());
        for (int64_t i = 0; i < k; ++i)
          for (int64_t j = 0; j < n; ++j) t[j * k + i] = w[i * n + j];
        w = t;
      }
      gemmWeights = makeWeights({n, k}, w);
    }
    op.kind = Op::Kind::Gemm;
    op.inputs = {op.inputs[0]};
    op.k = k;
    op.n = n;
    op.weight = addWeights(program, std::move(gemmWeights));
    op.transposeB = false;
  }
}

// A Gemm reads its input as flat rows of k, so a reshape in front of it changes nothing.
void skipAliasesIntoGemms(Program& program) {
  const std::vector<int> producer = producers(program, std::vector<bool>(program.ops.size(), false));
  for (Op& op : program.ops) {
    if (op.kind != Op::Kind::Gemm) continue;
    int p = producer[op.inputs[0]];
    while (p >= 0 && program.ops[p].kind == Op::Kind::Alias) {
      op.inputs[0] = program.ops[p].inputs[0];
      p = producer[op.inputs[0]];
    }
  }
}

// Gemm followed by a sum (or subtraction) of a constant that varies only along the last dim.
bool absorbBias(Program& program, Op& gemm, const Op& binary, int constantSide) {
  const Value& c = program.values[binary.inputs[constantSide]];
  const Dims& out = program.values[binary.output].shape;
  if (c.constant < 0 || c.shape.size() > out.size() || numelPerBatch(c.shape) != gemm.n || c.shape.back() != gemm.n)
    return false;
  if (!allOnes(c.shape, 0, c.shape.size() - 1) || out != program.values[gemm.output].shape) return false;
  if (program.shapesOnly) {
    gemm.bias = addWeights(program, Weights{DType::F32, {gemm.n}, {}});
    gemm.output = binary.output;
    return true;
  }
  std::vector<float> bias = widen(program.weights[c.constant]);
  if (binary.binary == BinaryOp::Sub)
    for (float& b : bias) b = -b;
  if (gemm.bias >= 0) {
    const std::vector<float> old = widen(program.weights[gemm.bias]);
    for (size_t i = 0; i < bias.size(); ++i) bias[i] += old[i];
  }
  gemm.bias = addWeights(program, makeWeights({gemm.n}, bias));
  gemm.output = binary.output;
  return true;
}

// Folds bias sums and activations into the epilogue of the Gemm they follow.
void fuseEpilogues(Program& program) {
  std::vector<bool> removed(program.ops.size(), false);
  for (size_t i = 0; i < program.ops.size(); ++i) {
    const std::vector<int> count = readers(program), producer = producers(program, removed);
    Op& op = program.ops[i];
    if (op.kind != Op::Kind::Binary && op.kind != Op::Kind::Unary) continue;
    for (size_t side = 0; side < op.inputs.size() && !removed[i]; ++side) {
      const int p = producer[op.inputs[side]];
      if (p < 0 || removed[p] || count[op.inputs[side]] != 1) continue;
      Op& gemm = program.ops[p];
      if (gemm.kind != Op::Kind::Gemm || gemm.activation != Activation::None) continue;
      if (op.kind == Op::Kind::Unary) {
        gemm.activation = op.activation;
        gemm.alpha = op.alpha;
        gemm.output = op.output;
        removed[i] = true;
      } else if (op.binary == BinaryOp::Sum || (op.binary == BinaryOp::Sub && side == 0)) {
        removed[i] = absorbBias(program, gemm, op, 1 - static_cast<int>(side));
      }
    }
  }
  std::vector<Op> kept;
  for (size_t i = 0; i < program.ops.size(); ++i)
    if (!removed[i]) kept.push_back(program.ops[i]);
  program.ops = kept;
}

}  // namespace

void fuseGemms(Program& program) {
  matMulsToGemms(program);
  fuseEpilogues(program);
  skipAliasesIntoGemms(program);
}

}  // namespace trtfarm
