#include "cuda_engine.h"

#include <algorithm>
#include <cstring>

#include "check.h"
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
      program_(withoutWeightBytes(plan.program)) {
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

  check(cudaSetDevice(device_), "cudaSetDevice");
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
  const cublasStatus_t created = cublasLtCreate(&lt_);
  if (created != CUBLAS_STATUS_SUCCESS) {
    cudaStreamDestroy(stream_);
    check(created, "cublasLtCreate");
  }
  // From here members own their memory; a throw destroys them, and ~CudaEngine is not run.
  try {
    for (const Weights& w : plan.program.weights) {
      weights_.emplace_back(w.bytes.size());
      check(cudaMemcpy(weights_.back().get(), w.bytes.data(), w.bytes.size(), cudaMemcpyHostToDevice),
            "cudaMemcpy(weights)");
    }
    arena_ = DeviceBuffer(memory_.arenaBytes);
    workspace_ = DeviceBuffer(kWorkspaceBytes);
    prepareFp8();
    const bool convert = type_ != DType::F32;
    for (int32_t v : program_.inputs) {
      const size_t bytes = elementsAt(program_.values[v].shape, batch_.max) * sizeof(float);
      stagedInputs_.emplace_back(bytes);
      if (convert) edgeInputs_.emplace_back(bytes);
    }
    for (int32_t v : program_.outputs) {
      const size_t bytes = elementsAt(program_.values[v].shape, batch_.max) * sizeof(float);
      stagedOutputs_.emplace_back(bytes);
      if (convert) edgeOutputs_.emplace_back(bytes);
    }
  } catch (...) {
    cublasLtDestroy(lt_);
    cudaStreamDestroy(stream_);
    throw;
  }
}

void CudaEngine::prepareFp8() {
  size_t fp8Scratch = 0;
  for (const Op& op : program_.ops)
    if (op.kind == Op::Kind::Gemm && program_.weights[op.weight].dtype == DType::F8E4M3)
      fp8Scratch = std::max(fp8Scratch, fp8ScratchBytes(elementsAt(program_.values[op.inputs[0]].shape, batch_.max) /
                                                            op.k, op.k, op.n));
  if (fp8Scratch > 0) fp8Scratch_ = DeviceBuffer(fp8Scratch);
  // Only for the ops with a batch bucket that runs neither GEMV nor the fp8 product.
  auto needsFp16 = [&](size_t opIndex) {
    const GemmTactics* entry = tactics_.forOp(static_cast<int32_t>(opIndex));
    if (entry == nullptr) return true;
    for (const Tactic& t : entry->tactics)
      if (t.kind != TacticKind::Gemv && t.kind != TacticKind::Lt) return true;
    return false;
  };
  dequantized_.resize(program_.weights.size());
  for (size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    if (op.kind == Op::Kind::Gemm && program_.weights[op.weight].dtype == DType::F8E4M3 &&
        dequantized_[op.weight].bytes() == 0 && needsFp16(i)) {
      dequantized_[op.weight] = DeviceBuffer(static_cast<size_t>(op.n * op.k) * sizeof(uint16_t));
      launchDequantizeE4m3(weights_[op.weight].get(), dequantized_[op.weight].get(), op.n, op.k, stream_);
    }
  }
  check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
}

CudaEngine::~CudaEngine() {
  cudaSetDevice(device_);
  for (auto& [batch, graph] : graphs_) cudaGraphExecDestroy(graph.exec);
  cublasLtDestroy(lt_);
  cudaStreamDestroy(stream_);
}

void* CudaEngine::pointer(int32_t value) const {
  const int32_t root = memory_.root[value];
  const int32_t constant = program_.values[root].constant;
  if (constant >= 0) return weights_[constant].get();
  return static_cast<uint8_t*>(arena_.get()) + memory_.offset[value];
}

void* CudaEngine::edgeInput(size_t i) const {
  return edgeInputs_.empty() ? pointer(program_.inputs[i]) : edgeInputs_[i].get();
}

void* CudaEngine::edgeOutput(size_t i) const {
  return edgeOutputs_.empty() ? pointer(program_.outputs[i]) : edgeOutputs_[i].get();
}

void CudaEngine::checkBatch(int64_t batch) const {
  if (batch < batch_.min || batch > batch_.max)
    throw Error(ErrorCode::Input, "batch " + std::to_string(batch) + " is outside the plan's profile [" +
                                      std::to_string(batch_.min) + ", " + std::to_string(batch_.max) + "]");
}

cublasLtMatmulAlgo_t CudaEngine::algorithmFor(const LtMatmul& matmul, const Tactic* tactic) const {
  if (tactic != nullptr && (tactic->kind == TacticKind::Lt || tactic->kind == TacticKind::LtDequantized)) {
    cublasLtMatmulAlgo_t algo;
    std::memcpy(&algo, tactic->algo.data(), sizeof algo);
    size_t workspace = 0;
    if (matmul.supports(lt_, algo, &workspace) && workspace <= workspace_.bytes()) return algo;
  }
  const auto results = matmul.candidates(lt_, 1, workspace_.bytes());
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

void CudaEngine::enqueueGemm(int32_t opIndex, int64_t batch, Graph& graph, const void* edgeX, void* edgeY) {
  const Op& op = program_.ops[opIndex];
  const int64_t elements = elementsAt(program_.values[op.inputs[0]].shape, batch);
  if (elements % op.k != 0)
    throw Error(ErrorCode::Plan, "FC input does not flatten to rows of " + std::to_string(op.k));
  const int64_t rows = elements / op.k;
  const void* x = pointer(op.inputs[0]);
  void* y = pointer(op.output);
  const void* bias = op.bias >= 0 ? weights_[op.bias].get() : nullptr;
  const void* w = weights_[op.weight].get();

  const DType wType = program_.weights[op.weight].dtype;
  if (const Tactic* gemv = gemvTactic(opIndex, batch)) {
    launchGemv(wType, edgeX ? DType::F32 : type_, edgeY ? DType::F32 : type_, gemv->variant, w, bias, edgeX ? edgeX : x,
               edgeY ? edgeY : y, rows, op.k, op.n, op.activation, op.alpha, stream_);
    return;
  }
  const GemmTactics* entry = tactics_.forOp(opIndex);
  const Tactic* tactic = entry ? &entry->tactics[tactics_.bucketFor(batch)] : nullptr;
  if (wType == DType::F8E4M3 && tactic != nullptr && tactic->kind == TacticKind::Lt) {
    auto matmul = std::make_unique<LtMatmul>(fp8FullyConnected(rows, op.k, op.n, fp8Scratch_.get()));
    runFp8Gemm(lt_, *matmul, algorithmFor(*matmul, tactic), w, bias, x, y, op.activation, op.alpha, fp8Scratch_.get(),
               workspace_.get(), workspace_.bytes(), stream_);
    graph.matmuls.push_back(std::move(matmul));
    return;
  }
  if (wType == DType::F8E4M3) {  // LtDequantized, or nothing timed here
    w = dequantized_[op.weight].get();
    if (w == nullptr) throw Error(ErrorCode::Plan, "fp8 plan tactics do not cover batch " + std::to_string(batch));
  }
  auto matmul = std::make_unique<LtMatmul>(
      LtShape::fullyConnected(type_, precision_, rows, op.k, op.n, bias != nullptr, op.activation == Activation::Relu));
  matmul->run(lt_, algorithmFor(*matmul, tactic), w, x, y, bias, workspace_.get(), workspace_.bytes(), stream_);
  if (!ltFuses(op.activation)) launchActivation(type_, y, y, rows * op.n, op.activation, op.alpha, stream_);
  graph.matmuls.push_back(std::move(matmul));
}

void CudaEngine::enqueueMatMul(const Op& op, int64_t batch, Graph& graph) {
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
  const char* base = static_cast<const char*>(pointer(op.inputs[0]));
  const char* baseB = static_cast<const char*>(pointer(op.inputs[1]));
  char* baseOut = static_cast<char*>(pointer(op.output));
  const size_t elem = dtypeSize(type_);

  // One strided-batched call when each operand is either whole-batch or broadcast entirely.
  if ((countA == count || countA == 1) && (countB == count || countB == 1)) {
    s.batchCount = static_cast<int32_t>(count);
    s.strideA = countB == 1 ? 0 : n * k;
    s.strideB = countA == 1 ? 0 : m * k;
    s.strideD = m * n;
    auto matmul = std::make_unique<LtMatmul>(s);
    matmul->run(lt_, algorithmFor(*matmul, nullptr), baseB, base, baseOut, nullptr, workspace_.get(),
                workspace_.bytes(), stream_);
    graph.matmuls.push_back(std::move(matmul));
    return;
  }
  // Mixed broadcasting: one product per output matrix, each operand indexed through its own dims.
  auto matmul = std::make_unique<LtMatmul>(s);
  const cublasLtMatmulAlgo_t algo = algorithmFor(*matmul, nullptr);
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
    matmul->run(lt_, algo, baseB + ib * n * k * elem, base + ia * m * k * elem, baseOut + o * m * n * elem, nullptr,
                workspace_.get(), workspace_.bytes(), stream_);
  }
  graph.matmuls.push_back(std::move(matmul));
}

void CudaEngine::enqueueBinary(const Op& op, int64_t batch) {
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
  launchBinary(type_, op.binary, pointer(op.inputs[0]), pointer(op.inputs[1]), pointer(op.output), shape, stream_);
}

void CudaEngine::enqueue(int64_t batch, Graph& graph) {
  // In 16-bit builds a GEMV reading a network input (its only reader) takes it as fp32, and one
  // writing a network output (nothing else reads it) writes fp32: no conversion kernels, which
  // at small batches cost more than the bytes they move.
  std::vector<const void*> edgeX(program_.ops.size(), nullptr);
  std::vector<void*> edgeY(program_.ops.size(), nullptr);
  std::vector<bool> inputConverted(edgeInputs_.size(), true), outputConverted(edgeOutputs_.size(), true);
  auto listed = [](const std::vector<int32_t>& list, int32_t v) { return std::count(list.begin(), list.end(), v); };
  for (size_t i = 0; i < edgeInputs_.size(); ++i) {
    const int32_t v = program_.inputs[i], op = reader_[v];
    if (readers_[v] != 1 || listed(program_.outputs, v) > 0 || listed(program_.inputs, v) != 1) continue;
    const Tactic* gemv = gemvTactic(op, batch);
    if (gemv == nullptr || !gemvStagesX(gemv->variant)) continue;
    edgeX[op] = edgeInputs_[i].get();
    inputConverted[i] = false;
  }
  for (size_t i = 0; i < edgeOutputs_.size(); ++i) {
    const int32_t v = program_.outputs[i], op = writer_[v];
    if (op < 0 || readers_[v] != 0 || memory_.root[v] != v || listed(program_.outputs, v) != 1 ||
        listed(program_.inputs, v) > 0 || gemvTactic(op, batch) == nullptr)
      continue;
    edgeY[op] = edgeOutputs_[i].get();
    outputConverted[i] = false;
  }

  for (size_t i = 0; i < edgeInputs_.size(); ++i) {
    const int32_t v = program_.inputs[i];
    if (inputConverted[i])
      launchConvert(DType::F32, type_, edgeInputs_[i].get(), pointer(v), elementsAt(program_.values[v].shape, batch),
                    stream_);
  }
  for (size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    switch (op.kind) {
      case Op::Kind::Gemm: enqueueGemm(static_cast<int32_t>(i), batch, graph, edgeX[i], edgeY[i]); break;
      case Op::Kind::MatMul: enqueueMatMul(op, batch, graph); break;
      case Op::Kind::Binary: enqueueBinary(op, batch); break;
      case Op::Kind::Unary:
        launchActivation(type_, pointer(op.inputs[0]), pointer(op.output),
                         elementsAt(program_.values[op.output].shape, batch), op.activation, op.alpha, stream_);
        break;
      case Op::Kind::Alias: break;  // same storage (memory plan)
      default: throw Error(ErrorCode::Plan, "plan has an op kind this backend does not know");
    }
  }
  for (size_t i = 0; i < edgeOutputs_.size(); ++i) {
    const int32_t v = program_.outputs[i];
    if (outputConverted[i])
      launchConvert(type_, DType::F32, pointer(v), edgeOutputs_[i].get(), elementsAt(program_.values[v].shape, batch),
                    stream_);
  }
}

CudaEngine::Graph& CudaEngine::graphFor(int64_t batch) {
  auto found = graphs_.find(batch);
  if (found != graphs_.end()) {
    found->second.lastUse = ++uses_;
    return found->second;
  }
  if (graphs_.size() >= kMaxGraphs) {
    auto oldest = std::min_element(graphs_.begin(), graphs_.end(),
                                   [](const auto& x, const auto& y) { return x.second.lastUse < y.second.lastUse; });
    cudaGraphExecDestroy(oldest->second.exec);
    graphs_.erase(oldest);
  }
  // One eager pass first: lazy module loading and cuBLASLt's first-call setup stay out of the capture.
  Graph graph;
  enqueue(batch, graph);
  cudaGraph_t captured = nullptr;
  check(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
  try {
    enqueue(batch, graph);
  } catch (...) {
    cudaStreamEndCapture(stream_, &captured);
    if (captured) cudaGraphDestroy(captured);
    cudaGetLastError();
    throw;
  }
  check(cudaStreamEndCapture(stream_, &captured), "cudaStreamEndCapture");
  const cudaError_t instantiated = cudaGraphInstantiate(&graph.exec, captured, 0);
  cudaGraphDestroy(captured);
  check(instantiated, "cudaGraphInstantiate");
  graph.lastUse = ++uses_;
  return graphs_.emplace(batch, std::move(graph)).first->second;
}

void CudaEngine::run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) {
  std::lock_guard<std::mutex> lock(mutex_);
  checkBatch(batch);
  if (inputs.size() != program_.inputs.size() || outputs.size() != program_.outputs.size())
    throw Error(ErrorCode::Input, "wrong number of input or output buffers");
  check(cudaSetDevice(device_), "cudaSetDevice");
  for (size_t i = 0; i < inputs.size(); ++i) {
    const size_t bytes = elementsAt(program_.values[program_.inputs[i]].shape, batch) * sizeof(float);
    std::memcpy(stagedInputs_[i].get(), inputs[i], bytes);
    check(cudaMemcpyAsync(edgeInput(i), stagedInputs_[i].get(), bytes, cudaMemcpyHostToDevice, stream_),
          "cudaMemcpyAsync(input)");
  }
  check(cudaGraphLaunch(graphFor(batch).exec, stream_), "cudaGraphLaunch");
  for (size_t i = 0; i < outputs.size(); ++i) {
    const size_t bytes = elementsAt(program_.values[program_.outputs[i]].shape, batch) * sizeof(float);
    check(cudaMemcpyAsync(stagedOutputs_[i].get(), edgeOutput(i), bytes, cudaMemcpyDeviceToHost, stream_),
          "cudaMemcpyAsync(output)");
  }
  check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
  for (size_t i = 0; i < outputs.size(); ++i) {
    const size_t bytes = elementsAt(program_.values[program_.outputs[i]].shape, batch) * sizeof(float);
    std::memcpy(outputs[i], stagedOutputs_[i].get(), bytes);
  }
}

std::vector<float> CudaEngine::timeReplays(int64_t batch, int reps) {
  std::lock_guard<std::mutex> lock(mutex_);
  checkBatch(batch);
  check(cudaSetDevice(device_), "cudaSetDevice");
  const cudaGraphExec_t exec = graphFor(batch).exec;
  for (int i = 0; i < kWarmupReplays; ++i) check(cudaGraphLaunch(exec, stream_), "cudaGraphLaunch");
  cudaEvent_t start = nullptr, stop = nullptr;
  check(cudaEventCreate(&start), "cudaEventCreate");
  check(cudaEventCreate(&stop), "cudaEventCreate");
  std::vector<float> ms;
  try {
    for (int i = 0; i < reps; ++i) {
      check(cudaEventRecord(start, stream_), "cudaEventRecord");
      check(cudaGraphLaunch(exec, stream_), "cudaGraphLaunch");
      check(cudaEventRecord(stop, stream_), "cudaEventRecord");
      check(cudaEventSynchronize(stop), "cudaEventSynchronize");
      float t = 0;
      check(cudaEventElapsedTime(&t, start, stop), "cudaEventElapsedTime");
      ms.push_back(t);
    }
  } catch (...) {
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    throw;
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms;
}

}  // namespace trtfarm::cuda
