#include "plan_check.h"

#include <stdexcept>

#include "error.h"
#include "shapes.h"
#include "weights.h"

namespace trtfarm {

namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCode::Plan, "corrupt plan: " + message); }

constexpr int64_t kMaxElements = int64_t{1} << 31;

void checkDims(const Dims& dims, const std::string& what, bool batchAllowed) {
  int64_t n = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    const bool dynamic = dims[i] == kDynamic && i == 0 && batchAllowed;
    if (!dynamic && (dims[i] < 1 || dims[i] > kMaxElements)) fail(what + " has an invalid shape " + formatDims(dims));
    n *= dynamic ? 1 : dims[i];
    if (n > kMaxElements) fail(what + " shape " + formatDims(dims) + " is too large");
  }
}

void checkIndex(int64_t index, size_t size, const std::string& what) {
  if (index < 0 || index >= static_cast<int64_t>(size)) fail(what + " index " + std::to_string(index) + " is out of range");
}

Dims expectedShape(const Op& op, const std::vector<Dims>& in, const Program& p, const std::string& who) {
  const size_t want = op.kind == Op::Kind::MatMul || op.kind == Op::Kind::Binary ? 2 : 1;
  if (in.size() != want) fail(who + " has " + std::to_string(in.size()) + " inputs, expected " + std::to_string(want));
  switch (op.kind) {
    case Op::Kind::Gemm: {
      if (op.k < 1 || op.n < 1 || op.k > kMaxElements || op.n > kMaxElements) fail(who + " has invalid k or n");
      checkIndex(op.weight, p.weights.size(), who + " weight");
      if (p.weights[op.weight].shape != Dims{op.n, op.k}) fail(who + " weight shape is not [n, k]");
      if (op.bias < -1 || op.bias >= static_cast<int64_t>(p.weights.size())) fail(who + " bias index is out of range");
      if (op.bias >= 0 && p.weights[op.bias].shape != Dims{op.n}) fail(who + " bias shape is not [n]");
      const int64_t perBatch = numelPerBatch(in[0]);
      if (perBatch % op.k != 0) fail(who + " input is not a whole number of rows of k");
      return {};  // checked by element count below
    }
    case Op::Kind::MatMul: return matrixMultiplyShape(in[0], in[1], op.transposeA, op.transposeB);
    case Op::Kind::Binary: return broadcastShape(in[0], in[1]);
    case Op::Kind::Unary:
    case Op::Kind::Alias: return {};
  }
  return {};
}

void checkOp(const Op& op, size_t index, const Program& p, std::vector<bool>& defined) {
  const std::string who = "op " + std::to_string(index);
  std::vector<Dims> in;
  for (int32_t v : op.inputs) {
    checkIndex(v, p.values.size(), who + " input");
    if (!defined[v]) fail(who + " reads value " + std::to_string(v) + " before it is computed");
    in.push_back(p.values[v].shape);
  }
  checkIndex(op.output, p.values.size(), who + " output");
  if (defined[op.output]) fail(who + " overwrites value " + std::to_string(op.output));
  const Dims& out = p.values[op.output].shape;
  Dims expected;
  try {
    expected = expectedShape(op, in, p, who);
  } catch (const std::invalid_argument& e) {
    fail(who + ": " + e.what());
  }
  const bool sameBatching = isDynamic(in[0]) == isDynamic(out);
  if (op.kind == Op::Kind::Gemm && (numelPerBatch(in[0]) / op.k * op.n != numelPerBatch(out) || !sameBatching))
    fail(who + " output shape does not match rows × n");
  if ((op.kind == Op::Kind::Unary) && in[0] != out) fail(who + " output shape differs from its input");
  if (op.kind == Op::Kind::Alias && (numelPerBatch(in[0]) != numelPerBatch(out) || !sameBatching))
    fail(who + " reshape changes the element count");
  if ((op.kind == Op::Kind::MatMul || op.kind == Op::Kind::Binary) && expected != out)
    fail(who + " output shape " + formatDims(out) + " differs from " + formatDims(expected));
  defined[op.output] = true;
}

void checkDescs(const std::vector<TensorDesc>& descs, const std::vector<int32_t>& values, const Program& p,
                const char* what) {
  if (descs.size() != values.size()) fail(std::string(what) + " count differs from the program's");
  for (size_t i = 0; i < descs.size(); ++i) {
    checkIndex(values[i], p.values.size(), what);
    if (descs[i].shape != p.values[values[i]].shape) fail(std::string(what) + " '" + descs[i].name + "' shape mismatch");
    if (!descs[i].profile.empty() && descs[i].profile.size() != 3) fail(std::string(what) + " profile is not min/opt/max");
    for (const Dims& d : descs[i].profile) {
      checkDims(d, "profile", false);
      if (d.size() != descs[i].shape.size()) fail("profile rank differs from the input's");
    }
  }
}

}  // namespace

void checkPlan(const Plan& plan) {
  const Program& p = plan.program;
  if (plan.batch.min < 1 || plan.batch.min > plan.batch.opt || plan.batch.opt > plan.batch.max ||
      plan.batch.max > kMaxElements)
    fail("invalid batch range");
  const DType dtype = storageType(plan.precision);
  for (size_t i = 0; i < p.weights.size(); ++i) {
    const Weights& w = p.weights[i];
    checkDims(w.shape, "weights " + std::to_string(i), false);
    const bool fp8Fc = plan.precision == Precision::FP8 && w.dtype == DType::F8E4M3 && w.shape.size() == 2;
    if (w.dtype != dtype && !fp8Fc) fail("weights " + std::to_string(i) + " are not stored in the plan's precision");
    if (static_cast<uint64_t>(w.bytes.size()) != storedBytes(w.dtype, w.shape))
      fail("weights " + std::to_string(i) + " size does not match their shape");
  }
  std::vector<bool> defined(p.values.size(), false);
  for (size_t i = 0; i < p.values.size(); ++i) {
    const Value& v = p.values[i];
    checkDims(v.shape, "value '" + v.name + "'", v.constant < 0);
    if (v.constant >= 0) {
      checkIndex(v.constant, p.weights.size(), "constant");
      if (p.weights[v.constant].shape != v.shape) fail("constant '" + v.name + "' shape differs from its weights");
      defined[i] = true;
    } else if (v.constant != -1) {
      fail("value '" + v.name + "' has an invalid constant index");
    }
  }
  for (int32_t v : p.inputs) {
    checkIndex(v, p.values.size(), "program input");
    if (defined[v]) fail("program input " + std::to_string(v) + " is a constant or listed twice");
    defined[v] = true;
  }
  for (size_t i = 0; i < p.ops.size(); ++i) checkOp(p.ops[i], i, p, defined);
  // Engines lay out every value (core/arena_plan.h): one that nothing computes has no data.
  for (size_t i = 0; i < p.values.size(); ++i)
    if (!defined[i]) fail("value '" + p.values[i].name + "' is never computed");
  for (int32_t v : p.outputs) {
    checkIndex(v, p.values.size(), "program output");
    if (!defined[v]) fail("program output " + std::to_string(v) + " is never computed");
  }
  checkDescs(plan.inputs, p.inputs, p, "input");
  checkDescs(plan.outputs, p.outputs, p, "output");
}

}  // namespace trtfarm
