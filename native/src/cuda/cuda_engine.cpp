#include "cuda_engine.h"

#include <algorithm>
#include <cstring>

#include "../gpu/cublaslt.h"
#include "../gpu/stream.h"
#include "dtype_dispatch.h"
#include "fp8_gemm.h"
#include "fp8_kernels.h"
#include "kernels.h"
#include "shapes.h"

namespace trtfarm::cuda {
namespace {

constexpr size_t kWorkspaceBytes = 32u << 20;
constexpr size_t kMaxGraphs = 16;  // one per batch size seen; the least recently used goes first
constexpr int kWarmupReplays = 3;

std::string dimsText(const Dims& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.size(); ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

void requireValue(const Program& p, int32_t v, const char* what) {
  if (v < 0 || static_cast<size_t>(v) >= p.values.size())
    throw Error(ErrorCode::Plan, std::string("plan program refers to a missing ") + what + " value");
}

void validate(const Program& p, DType type, Precision precision) {
  const size_t elem = dtypeSize(type);
  for (const Weights& w : p.weights)
    if (w.dtype != type && !(precision == Precision::FP8 && w.dtype == DType::F8E4M3))
      throw Error(ErrorCode::Plan, "plan weights are not stored in the plan's precision");
  for (const Value& v : p.values)
    if (v.constant >= static_cast<int32_t>(p.weights.size()))
      throw Error(ErrorCode::Plan, "value '" + v.name + "' refers to a missing constant");
  for (int32_t v : p.inputs) requireValue(p, v, "input");
  for (int32_t v : p.outputs) requireValue(p, v, "output");
  for (const Op& op : p.ops) {
    requireValue(p, op.output, "op output");
    for (int32_t v : op.inputs) requireValue(p, v, "op input");
    const size_t arity = (op.kind == Op::Kind::MatMul || op.kind == Op::Kind::Binary) ? 2 : 1;
    if (op.inputs.size() != arity) throw Error(ErrorCode::Plan, "plan op has the wrong number of inputs");
    if (op.kind != Op::Kind::Gemm) continue;
    if (op.weight < 0 || static_cast<size_t>(op.weight) >= p.weights.size() ||
        p.weights[op.weight].bytes.size() != storedBytes(p.weights[op.weight].dtype, {op.n, op.k}))
      throw Error(ErrorCode::Plan, "plan FC op has weights of the wrong size");
    if (op.bias >= static_cast<int32_t>(p.weights.size()) ||
        (op.bias >= 0 && p.weights[op.bias].bytes.size() != static_cast<size_t>(op.n) * elem))
      throw Error(ErrorCode::Plan, "plan FC op has a bias of the wrong size");
  }
}

}  // namespace

namespace {

// The program without its weight bytes: those go to the device once and are not kept on the host.
Program withoutWeightBytes(const Program& program) {
  Program p;
  p.values = program.values;
  p.ops = program.ops;
  p.inputs = program.inputs;
  p.outputs = program.outputs;
  for (const Weights& w : program.weights) p.weights.push_back({w.dtype, w.shape, {}});
  return p;
}

}  // namespace

CudaEngine::CudaEngine(int device, const Plan& plan)
    : device_(device), precision_(plan.precision), type_(storageType(plan.precision)), batch_(plan.batch),
      program_(withoutWeightBytes(plan.program)), hostIo_(hostIoFromEnv()),
      contexts_(contextsFromEnv(), [this] { return makeContext(); }) {
  if (plan.backend != "cuda")
    throw Error(ErrorCode::Plan, "plan was built for the " + plan.backend + " backend, not cuda");
  validate(plan.program, type_, precision_);
  if (!plan.tactics.empty()) tactics_ = TacticTable::parse(plan.tactics);
  if (!plan.tactics.empty() && tactics_.precision != precision_)
    throw Error(ErrorCode::Plan, "plan tactics were tuned for another precision");
  if (!plan.tactics.empty() && tactics_.cublasLtVersion != cublasLtGetVersion())
    throw Error(ErrorCode::Compat, "plan tactics need cuBLASLt " + std::to_string(tactics_.cublasLtVersion) +
                                       ", this worker has " + std::to_string(cublasLtGetVersion()));
  if (batch_.min < 1 || batch_.max < batch_.min) throw Error(ErrorCode::Plan, "plan has an invalid batch range");
  memory_ = planMemory(program_, batch_.max, dtypeSize(type_));
  readers_.assign(program_.values.size(), 0);
  reader_.assign(program_.values.size(), -1);
  writer_.assign(program_.values.size(), -1);
  for (size_t i = 0; i < program_.ops.size(); ++i) {
    writer_[program_.ops[i].output] = static_cast<int32_t>(i);
    for (int32_t v : program_.ops[i].inputs) {
      ++readers_[v];
      reader_[v] = static_cast<int32_t>(i);
    }
  }

  gpu::check(cudaSetDevice(device_), "cudaSetDevice");
  for (const Weights& w : plan.program.weights) {
    weights_.emplace_back(w.bytes.size());
    gpu::check(cudaMemcpy(weights_.back().get(), w.bytes.data(), w.bytes.size(), cudaMemcpyHostToDevice),
               "cudaMemcpy(weights)");
  }
  prepareFp8();
  contextSizes_.arenaBytes = memory_.arenaBytes;
  contextSizes_.workspaceBytes = kWorkspaceBytes;
  contextSizes_.edgeBuffers = type_ != DType::F32;
  contextSizes_.staging = hostIo_ != HostIo::Pageable;
  for (int32_t v : program_.inputs)
    contextSizes_.inputBytes.push_back(elementsAt(program_.values[v].shape, batch_.max) * sizeof(float));
  for (int32_t v : program_.outputs)
    contextSizes_.outputBytes.push_back(elementsAt(program_.values[v].shape, batch_.max) * sizeof(float));
  // One context now: a plan that does not fit on the device fails at load, not at its first call.
  contexts_.acquire();
}

void CudaEngine::prepareFp8() {
  for (const Op& op : program_.ops)
    if (op.kind == Op::Kind::Gemm && program_.weights[op.weight].dtype == DType::F8E4M3)
      contextSizes_.fp8ScratchBytes =
          std::max(contextSizes_.fp8ScratchBytes,
                   fp8ScratchBytes(elementsAt(program_.values[op.inputs[0]].shape, batch_.max) / op.k, op.k, op.n));
  // Only for the ops with a batch bucket that runs neither GEMV nor the fp8 product. A GEMV tactic
  // that cannot take the rows of its bucket's top batch (a forced or inherited one) falls through to
  // cuBLASLt there, which needs the fp16 copy.
  auto needsFp16 = [&](size_t opIndex) {
    const GemmTactics* entry = tactics_.forOp(static_cast<int32_t>(opIndex));
    if (entry == nullptr) return true;
    const Op& op = program_.ops[opIndex];
    for (size_t b = 0; b < entry->tactics.size(); ++b) {
      const Tactic& t = entry->tactics[b];
      const int64_t top = std::min(tactics_.buckets[b], batch_.max);
      const int64_t rows = elementsAt(program_.values[op.inputs[0]].shape, top) / op.k;
      if (t.kind == TacticKind::Gemv && !gemvSupports(DType::F8E4M3, t.variant, rows, op.k)) return true;
      if (t.kind != TacticKind::Gemv && t.kind != TacticKind::Lt) return true;
    }
    return false;
  };
  dequantized_.resize(program_.weights.size());
  for (size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    if (op.kind == Op::Kind::Gemm && program_.weights[op.weight].dtype == DType::F8E4M3 &&
        dequantized_[op.weight].bytes() == 0 && needsFp16(i)) {
      dequantized_[op.weight] = gpu::DeviceBuffer(static_cast<size_t>(op.n * op.k) * sizeof(uint16_t));
      // Once at load, on the default stream: shared by every context, which all start later.
      launchDequantizeE4m3(weights_[op.weight].get(), dequantized_[op.weight].get(), op.n, op.k, nullptr);
    }
  }
  gpu::check(cudaStreamSynchronize(nullptr), "cudaStreamSynchronize");
}

std::unique_ptr<ExecContext> CudaEngine::makeContext() const {
  try {
    return std::make_unique<ExecContext>(device_, contextSizes_);
  } catch (...) {
    cudaGetLastError();  // an allocation that failed: not sticky, and no later launch check should see it
    throw;
  }
}

CudaEngine::~CudaEngine() { cudaSetDevice(device_); }

void* CudaEngine::pointer(const ExecContext& ctx, int32_t value) const {
  const int32_t root = memory_.root[value];
  const int32_t constant = program_.values[root].constant;
  if (constant >= 0) return weights_[constant].get();
  return static_cast<uint8_t*>(ctx.arena.get()) + memory_.offset[value];
}

void* CudaEngine::edgeInput(const ExecContext& ctx, size_t i) const {
  return ctx.edgeInputs.empty() ? pointer(ctx, program_.inputs[i]) : ctx.edgeInputs[i].get();
}

void* CudaEngine::edgeOutput(const ExecContext& ctx, size_t i) const {
  return ctx.edgeOutputs.empty() ? pointer(ctx, program_.outputs[i]) : ctx.edgeOutputs[i].get();
}

void CudaEngine::checkBatch(int64_t batch) const {
  if (batch < batch_.min || batch > batch_.max)
    throw Error(ErrorCode::Input, "batch " + std::to_string(batch) + " is outside the plan's profile [" +
                                      std::to_string(batch_.min) + ", " + std::to_string(batch_.max) + "]");
}

cublasLtMatmulAlgo_t CudaEngine::algorithmFor(const ExecContext& ctx, const LtMatmul& matmul,
                                              const Tactic* tactic) const {
  if (tactic != nullptr && (tactic->kind == TacticKind::Lt || tactic->kind == TacticKind::LtDequantized)) {
    cublasLtMatmulAlgo_t algo;
    std::memcpy(&algo, tactic->algo.data(), sizeof algo);
    size_t workspace = 0;
    if (matmul.supports(ctx.lt.get(), algo, &workspace) && workspace <= ctx.workspace.bytes()) return algo;
  }
  const auto results = matmul.candidates(ctx.lt.get(), 1, ctx.workspace.bytes());
  if (results.empty()) throw Error(ErrorCode::Runtime, "cuBLASLt has no algorithm for this matrix product");
  return results[0].algo;
}

const Tactic* CudaEngine::gemvTactic(int32_t opIndex, int64_t batch) const {
  const Op& op = program_.ops[opIndex];
  const GemmTactics* entry = tactics_.forOp(opIndex);
  if (op.kind != Op::Kind::Gemm || entry == nullptr) return nullptr;
  const Tactic& tactic = entry->tactics[tactics_.bucketFor(batch)];
  const int64_t rows = elementsAt(program_.values[op.inputs[0]].shape, batch) / op.k;
  return tactic.kind == TacticKind::Gemv && gemvSupports(program_.weights[op.weight].dtype, tactic.variant, rows, op.k)
             ? &tactic
             : nullptr;
}

void CudaEngine::enqueueGemm(ExecContext& ctx, int32_t opIndex, int64_t batch, Graph& graph, const void* edgeX,
                             void* edgeY) {
  const Op& op = program_.ops[opIndex];
  const int64_t elements = elementsAt(program_.values[op.inputs[0]].shape, batch);
  if (elements % op.k != 0)
    throw Error(ErrorCode::Plan, "FC input does not flatten to rows of " + std::to_string(op.k));
  const int64_t rows = elements / op.k;
  const void* x = pointer(ctx, op.inputs[0]);
  void* y = pointer(ctx, op.output);
  const void* bias = op.bias >= 0 ? weights_[op.bias].get() : nullptr;
  const void* w = weights_[op.weight].get();
  const DType wType = program_.weights[op.weight].dtype;

  if (const Tactic* gemv = gemvTactic(opIndex, batch)) {
    launchGemv(wType, edgeX ? DType::F32 : type_, edgeY ? DType::F32 : type_, gemv->variant, w, bias, edgeX ? edgeX : x,
               edgeY ? edgeY : y, rows, op.k, op.n, op.activation, op.alpha, ctx.stream.get());
    return;
  }
  const GemmTactics* entry = tactics_.forOp(opIndex);
  const Tactic* tactic = entry ? &entry->tactics[tactics_.bucketFor(batch)] : nullptr;
  if (wType == DType::F8E4M3 && tactic != nullptr && tactic->kind == TacticKind::Lt) {
    auto matmul = std::make_unique<LtMatmul>(fp8FullyConnected(rows, op.k, op.n, ctx.fp8Scratch.get()));
    runFp8Gemm(ctx.lt.get(), *matmul, algorithmFor(ctx, *matmul, tactic), w, bias, x, y, op.activation, op.alpha,
               ctx.fp8Scratch.get(), ctx.workspace.get(), ctx.workspace.bytes(), ctx.stream.get());
    graph.matmuls.push_back(std::move(matmul));
    return;
  }
  if (wType == DType::F8E4M3) {  // LtDequantized, or nothing timed here
    w = dequantized_[op.weight].get();
    if (w == nullptr) throw Error(ErrorCode::Plan, "fp8 plan tactics do not cover batch " + std::to_string(batch));
  }
  auto matmul = std::make_unique<LtMatmul>(
      LtShape::fullyConnected(type_, precision_, rows, op.k, op.n, bias != nullptr, op.activation == Activation::Relu));
  matmul->run(ctx.lt.get(), algorithmFor(ctx, *matmul, tactic), w, x, y, bias, ctx.workspace.get(), ctx.workspace.bytes(),
              ctx.stream.get());
  if (!ltFuses(op.activation)) launchActivation(type_, y, y, rows * op.n, op.activation, op.alpha, ctx.stream.get());
  graph.matmuls.push_back(std::move(matmul));
}

void CudaEngine::enqueueMatMul(ExecContext& ctx, const Op& op, int64_t batch, Graph& graph) {
  const Dims a = shapeAt(program_.values[op.inputs[0]].shape, batch);
  const Dims b = shapeAt(program_.values[op.inputs[1]].shape, batch);
  const Dims out = shapeAt(program_.values[op.output].shape, batch);
  if (a.size() < 2 || b.size() < 2 || out.size() < 2)
    throw Error(ErrorCode::Plan,
                "matrix product operands need two dimensions, got " + dimsText(a) + " and " + dimsText(b));
  const int64_t m = op.transposeA ? a[a.size() - 1] : a[a.size() - 2];
  const int64_t k = op.transposeA ? a[a.size() - 2] : a[a.size() - 1];
  const int64_t n = op.transposeB ? b[b.size() - 2] : b[b.size() - 1];
  if ((op.transposeB ? b[b.size() - 1] : b[b.size() - 2]) != k)
    throw Error(ErrorCode::Plan, "matrix product shapes " + dimsText(a) + " and " + dimsText(b) + " do not agree");

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

  // Column-major view: Dᵀ[n, m] = op(B)ᵀ · op(A)ᵀ, so cuBLASLt's A is our B and its B is our A.
  LtShape s;
  s.type = type_;
  s.precision = precision_;
  s.m = n;
  s.n = m;
  s.k = k;
  s.transA = op.transposeB;
  s.lda = op.transposeB ? k : n;
  s.transB = op.transposeA;
  s.ldb = op.transposeA ? m : k;
  s.ldd = n;
  const char* base = static_cast<const char*>(pointer(ctx, op.inputs[0]));
  const char* baseB = static_cast<const char*>(pointer(ctx, op.inputs[1]));
  char* baseOut = static_cast<char*>(pointer(ctx, op.output));
  const size_t elem = dtypeSize(type_);

  // One strided-batched call when each operand is either whole-batch or broadcast entirely.
  if ((countA == count || countA == 1) && (countB == count || countB == 1)) {
    s.batchCount = static_cast<int32_t>(count);
    s.strideA = countB == 1 ? 0 : n * k;
    s.strideB = countA == 1 ? 0 : m * k;
    s.strideD = m * n;
    auto matmul = std::make_unique<LtMatmul>(s);
    matmul->run(ctx.lt.get(), algorithmFor(ctx, *matmul, nullptr), baseB, base, baseOut, nullptr, ctx.workspace.get(),
                ctx.workspace.bytes(), ctx.stream.get());
    graph.matmuls.push_back(std::move(matmul));
    return;
  }
  // Mixed broadcasting: one product per output matrix, each operand indexed through its own dims.
  auto matmul = std::make_unique<LtMatmul>(s);
  const cublasLtMatmulAlgo_t algo = algorithmFor(ctx, *matmul, nullptr);
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
    matmul->run(ctx.lt.get(), algo, baseB + ib * n * k * elem, base + ia * m * k * elem, baseOut + o * m * n * elem, nullptr,
                ctx.workspace.get(), ctx.workspace.bytes(), ctx.stream.get());
  }
  graph.matmuls.push_back(std::move(matmul));
}

void CudaEngine::enqueueBinary(ExecContext& ctx, const Op& op, int64_t batch) {
  const Dims a = shapeAt(program_.values[op.inputs[0]].shape, batch);
  const Dims b = shapeAt(program_.values[op.inputs[1]].shape, batch);
  const Dims out = shapeAt(program_.values[op.output].shape, batch);
  if (out.size() > static_cast<size_t>(kMaxRank) || a.size() > out.size() || b.size() > out.size())
    throw Error(ErrorCode::Plan,
                "element-wise op of rank over " + std::to_string(kMaxRank) + " or inconsistent shapes");
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
    if ((da != 1 && da != out[d]) || (db != 1 && db != out[d]))
      throw Error(ErrorCode::Plan,
                  "shapes " + dimsText(a) + " and " + dimsText(b) + " do not broadcast to " + dimsText(out));
    shape.aStrides[d] = da == 1 ? 0 : strideA;
    shape.bStrides[d] = db == 1 ? 0 : strideB;
    strideA *= da;
    strideB *= db;
  }
  launchBinary(type_, op.binary, pointer(ctx, op.inputs[0]), pointer(ctx, op.inputs[1]), pointer(ctx, op.output), shape,
               ctx.stream.get());
}

void CudaEngine::enqueue(ExecContext& ctx, int64_t batch, Graph& graph) {
  // In 16-bit builds a GEMV reading a network input (its only reader) takes it as fp32, and one
  // writing a network output (nothing else reads it) writes fp32: no conversion kernels, which
  // at small batches cost more than the bytes they move.
  std::vector<const void*> edgeX(program_.ops.size(), nullptr);
  std::vector<void*> edgeY(program_.ops.size(), nullptr);
  std::vector<bool> inputConverted(ctx.edgeInputs.size(), true), outputConverted(ctx.edgeOutputs.size(), true);
  auto listed = [](const std::vector<int32_t>& list, int32_t v) { return std::count(list.begin(), list.end(), v); };
  for (size_t i = 0; i < ctx.edgeInputs.size(); ++i) {
    const int32_t v = program_.inputs[i], op = reader_[v];
    if (readers_[v] != 1 || listed(program_.outputs, v) > 0 || listed(program_.inputs, v) != 1) continue;
    const Tactic* gemv = gemvTactic(op, batch);
    if (gemv == nullptr || !gemvStagesX(gemv->variant)) continue;
    edgeX[op] = ctx.edgeInputs[i].get();
    inputConverted[i] = false;
  }
  for (size_t i = 0; i < ctx.edgeOutputs.size(); ++i) {
    const int32_t v = program_.outputs[i], op = writer_[v];
    if (op < 0 || readers_[v] != 0 || memory_.root[v] != v || listed(program_.outputs, v) != 1 ||
        listed(program_.inputs, v) > 0 || gemvTactic(op, batch) == nullptr)
      continue;
    edgeY[op] = ctx.edgeOutputs[i].get();
    outputConverted[i] = false;
  }

  for (size_t i = 0; i < ctx.edgeInputs.size(); ++i) {
    const int32_t v = program_.inputs[i];
    if (inputConverted[i])
      launchConvert(DType::F32, type_, ctx.edgeInputs[i].get(), pointer(ctx, v),
                    elementsAt(program_.values[v].shape, batch), ctx.stream.get());
  }
  for (size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    switch (op.kind) {
      case Op::Kind::Gemm: enqueueGemm(ctx, static_cast<int32_t>(i), batch, graph, edgeX[i], edgeY[i]); break;
      case Op::Kind::MatMul: enqueueMatMul(ctx, op, batch, graph); break;
      case Op::Kind::Binary: enqueueBinary(ctx, op, batch); break;
      case Op::Kind::Unary:
        launchActivation(type_, pointer(ctx, op.inputs[0]), pointer(ctx, op.output),
                         elementsAt(program_.values[op.output].shape, batch), op.activation, op.alpha, ctx.stream.get());
        break;
      case Op::Kind::Alias: break;  // same storage (memory plan)
      default: throw Error(ErrorCode::Plan, "plan has an op kind this backend does not know");
    }
  }
  for (size_t i = 0; i < ctx.edgeOutputs.size(); ++i) {
    const int32_t v = program_.outputs[i];
    if (outputConverted[i])
      launchConvert(type_, DType::F32, pointer(ctx, v), ctx.edgeOutputs[i].get(),
                    elementsAt(program_.values[v].shape, batch), ctx.stream.get());
  }
}

CudaEngine::Graph& CudaEngine::graphFor(ExecContext& ctx, int64_t batch) {
  auto found = ctx.graphs.find(batch);
  if (found != ctx.graphs.end()) {
    found->second.lastUse = ++ctx.uses;
    return found->second;
  }
  if (ctx.graphs.size() >= kMaxGraphs) {
    auto oldest = std::min_element(ctx.graphs.begin(), ctx.graphs.end(),
                                   [](const auto& x, const auto& y) { return x.second.lastUse < y.second.lastUse; });
    cudaGraphExecDestroy(oldest->second.exec);
    ctx.graphs.erase(oldest);
  }
  // One eager pass first: lazy module loading and cuBLASLt's first-call setup stay out of the capture.
  Graph graph;
  enqueue(ctx, batch, graph);
  cudaGraph_t captured = nullptr;
  gpu::check(cudaStreamBeginCapture(ctx.stream.get(), cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
  try {
    enqueue(ctx, batch, graph);
  } catch (...) {
    cudaStreamEndCapture(ctx.stream.get(), &captured);
    if (captured) cudaGraphDestroy(captured);
    cudaGetLastError();
    throw;
  }
  gpu::check(cudaStreamEndCapture(ctx.stream.get(), &captured), "cudaStreamEndCapture");
  const cudaError_t instantiated = cudaGraphInstantiate(&graph.exec, captured, 0);
  cudaGraphDestroy(captured);
  gpu::check(instantiated, "cudaGraphInstantiate");
  graph.lastUse = ++ctx.uses;
  return ctx.graphs.emplace(batch, std::move(graph)).first->second;
}

void CudaEngine::run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) {
  checkBatch(batch);
  if (inputs.size() != program_.inputs.size() || outputs.size() != program_.outputs.size())
    throw Error(ErrorCode::Input, "wrong number of input or output buffers");
  gpu::check(cudaSetDevice(device_), "cudaSetDevice");
  const ContextPool::Lease ctx = contexts_.acquire();
  HostTransfer io(hostIo_, *ctx);
  const auto staging = [](const std::vector<gpu::PinnedBuffer>& buffers, size_t i) {
    return buffers.empty() ? nullptr : &buffers[i];
  };
  for (size_t i = 0; i < inputs.size(); ++i)
    io.toDevice(edgeInput(*ctx, i), inputs[i], elementsAt(program_.values[program_.inputs[i]].shape, batch) * sizeof(float),
                staging(ctx->stagedInputs, i));
  gpu::check(cudaGraphLaunch(graphFor(*ctx, batch).exec, ctx->stream.get()), "cudaGraphLaunch");
  for (size_t i = 0; i < outputs.size(); ++i)
    io.toHost(outputs[i], edgeOutput(*ctx, i), elementsAt(program_.values[program_.outputs[i]].shape, batch) * sizeof(float),
              staging(ctx->stagedOutputs, i));
  io.finish();
}

std::vector<float> CudaEngine::timeReplays(int64_t batch, int reps) {
  checkBatch(batch);
  gpu::check(cudaSetDevice(device_), "cudaSetDevice");
  const ContextPool::Lease ctx = contexts_.acquire();
  const cudaStream_t stream = ctx->stream.get();
  const cudaGraphExec_t exec = graphFor(*ctx, batch).exec;
  for (int i = 0; i < kWarmupReplays; ++i) gpu::check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
  const gpu::Event start = gpu::newEvent(cudaEventDefault), stop = gpu::newEvent(cudaEventDefault);
  std::vector<float> ms;
  for (int i = 0; i < reps; ++i) {
    gpu::check(cudaEventRecord(start.get(), stream), "cudaEventRecord");
    gpu::check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    gpu::check(cudaEventRecord(stop.get(), stream), "cudaEventRecord");
    gpu::check(cudaEventSynchronize(stop.get()), "cudaEventSynchronize");
    float t = 0;
    gpu::check(cudaEventElapsedTime(&t, start.get(), stop.get()), "cudaEventElapsedTime");
    ms.push_back(t);
  }
  return ms;
}

}  // namespace trtfarm::cuda
