#include "cpu_engine.h"

#include <cstring>

#include "activation.h"
#include "binary.h"
#include "core/error.h"
#include "core/half.h"
#include "core/shapes.h"
#include "gemm.h"
#include "matmul.h"

namespace trtfarm::cpu {

namespace {

// fp16/bf16 weights are stored reduced in the plan and computed in fp32.
std::vector<float> widen(const Weights& w) {
  const size_t count = static_cast<size_t>(numelPerBatch(w.shape));
  std::vector<float> out(count);
  if (w.dtype == DType::F32) {
    std::memcpy(out.data(), w.bytes.data(), count * sizeof(float));
    return out;
  }
  for (size_t i = 0; i < count; ++i) {
    uint16_t h;
    std::memcpy(&h, w.bytes.data() + 2 * i, 2);
    out[i] = w.dtype == DType::F16 ? halfToFloat(h) : bf16ToFloat(h);
  }
  return out;
}

}  // namespace

CpuEngine::CpuEngine(const Program& program) : program_(withoutWeightBytes(program)), pool_(ThreadPool::shared()) {

  // Only constants that something reads: a Gemm holds its weights packed, so the constant a
  // folded matrixMultiply came from would otherwise be kept a second time.
  std::vector<bool> read(program.values.size(), false);
  for (const Op& op : program.ops)
    for (int32_t v : op.inputs) read[v] = true;
  for (int32_t v : program.outputs) read[v] = true;
  constants_.resize(program.values.size());
  for (size_t v = 0; v < program.values.size(); ++v) {
    if (program.values[v].constant < 0 || !read[v]) continue;
    const std::vector<float> data = widen(program.weights[program.values[v].constant]);
    constants_[v].resize(data.size());
    std::copy(data.begin(), data.end(), constants_[v].data());
  }
  packed_.resize(program.ops.size());
  for (size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    if (op.kind != Op::Kind::Gemm) continue;
    const std::vector<float> w = widen(program.weights[op.weight]);
    const std::vector<float> bias = op.bias >= 0 ? widen(program.weights[op.bias]) : std::vector<float>();
    packed_[i] = std::make_unique<PackedMatrix>(w.data(), op.k, op.n, 1, op.k, op.bias >= 0 ? bias.data() : nullptr);
  }
}

std::shared_ptr<const ArenaPlan> CpuEngine::planFor(int64_t batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& plan = plans_[batch];
  // Inputs stay in the caller's buffers; cache-line slots keep every buffer aligned for the vector loads.
  if (!plan) plan = std::make_shared<const ArenaPlan>(planArena(program_, batch, {sizeof(float), 64, false}));
  return plan;
}

std::unique_ptr<AlignedBuffer> CpuEngine::takeArena(size_t floats) {
  std::unique_ptr<AlignedBuffer> arena;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!spareArenas_.empty()) {
      arena = std::move(spareArenas_.back());
      spareArenas_.pop_back();
    }
  }
  if (!arena) arena = std::make_unique<AlignedBuffer>();
  if (arena->size() < floats) arena->resize(floats);
  return arena;
}

void CpuEngine::returnArena(std::unique_ptr<AlignedBuffer> arena) {
  std::lock_guard<std::mutex> lock(mutex_);
  spareArenas_.push_back(std::move(arena));
}

void CpuEngine::run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) {
  if (batch < 1) throw Error(ErrorCode::Input, "cpu backend: batch must be at least 1");
  if (inputs.size() != program_.inputs.size() || outputs.size() != program_.outputs.size())
    throw Error(ErrorCode::Input, "cpu backend: wrong number of input or output buffers");
  const auto plan = planFor(batch);
  std::unique_ptr<AlignedBuffer> arena = takeArena(static_cast<size_t>(plan->bytes) / sizeof(float));
  try {
    execute(batch, *plan, arena->data(), inputs, outputs);
  } catch (...) {
    returnArena(std::move(arena));
    throw;
  }
  returnArena(std::move(arena));
}

void CpuEngine::execute(int64_t batch, const ArenaPlan& plan, float* arena, const std::vector<const float*>& inputs,
                        const std::vector<float*>& outputs) {
  // Where each value's data is for this run. Inputs are only ever read.
  const auto inArena = [&](int32_t v) { return arena + plan.offset[v] / static_cast<int64_t>(sizeof(float)); };
  std::vector<float*> data(program_.values.size(), nullptr);
  for (size_t v = 0; v < data.size(); ++v) {
    if (program_.values[v].constant >= 0) data[v] = constants_[v].data();
    else if (plan.offset[v] != ArenaPlan::kNone) data[v] = inArena(static_cast<int32_t>(v));
  }
  for (size_t i = 0; i < inputs.size(); ++i) data[program_.inputs[i]] = const_cast<float*>(inputs[i]);
  // An output computed here is computed in the caller's buffer; only one that is an input, a
  // constant or the same storage as an earlier output is copied at the end.
  for (size_t j = 0; j < outputs.size(); ++j) {
    const int32_t root = plan.root[program_.outputs[j]];
    if (plan.offset[root] != ArenaPlan::kNone && data[root] == inArena(root)) data[root] = outputs[j];
  }
  const auto shape = [&](int32_t v) { return atBatch(program_.values[v].shape, batch); };
  const auto count = [&](int32_t v) { return static_cast<size_t>(elementsAt(program_.values[v].shape, batch)); };

  for (size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    float* out = data[op.output];
    switch (op.kind) {
      case Op::Kind::Gemm: {
        const size_t rows = count(op.inputs[0]) / op.k;
        gemm(data[op.inputs[0]], op.k, rows, *packed_[i], op.activation, op.alpha, out, op.n, pool_);
        break;
      }
      case Op::Kind::MatMul:
        matmul(data[op.inputs[0]], shape(op.inputs[0]), op.transposeA, data[op.inputs[1]], shape(op.inputs[1]),
               op.transposeB, out, pool_);
        break;
      case Op::Kind::Binary:
        binary(op.binary, data[op.inputs[0]], shape(op.inputs[0]), data[op.inputs[1]], shape(op.inputs[1]), out,
               shape(op.output), pool_);
        break;
      case Op::Kind::Unary:
        activateAll(data[op.inputs[0]], out, count(op.output), op.activation, op.alpha, pool_);
        break;
      case Op::Kind::Alias:
        data[op.output] = data[op.inputs[0]];
        break;
    }
  }
  for (size_t j = 0; j < outputs.size(); ++j) {
    const int32_t v = program_.outputs[j];
    if (data[v] != outputs[j]) std::memcpy(outputs[j], data[v], count(v) * sizeof(float));
  }
}

}  // namespace trtfarm::cpu
