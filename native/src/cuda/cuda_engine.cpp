#include "cuda_engine.h"

#include <algorithm>
#include <cstring>

#include "../core/input_binding.h"
#include "../core/shapes.h"
#include "../core/weights.h"
#include "../gpu/cublaslt.h"
#include "batched_matmul.h"
#include "broadcast_strides.h"
#include "fp8_gemm.h"
#include "graph_cache.h"
#include "kernels.h"
#include "pinned_blocks.h"

namespace trtfarm::cuda {
namespace {

constexpr size_t kArenaAlignment = 256;  // cuBLASLt's and the 16-byte vector loads' alignment, with room

// The plan's tactics, which must be cuda tactics of its precision for the cuBLASLt loaded here.
TacticTable tacticsOf(const Plan& plan) {
  if (plan.tactics.empty()) return {};
  TacticTable tactics = TacticTable::parse(plan.tactics);
  if (tactics.precision != plan.precision)
    throw Error(ErrorCode::Plan, "plan tactics were tuned for another precision");
  if (tactics.cublasLtVersion != cublasLtGetVersion())
    throw Error(ErrorCode::Compat, "plan tactics need cuBLASLt " + std::to_string(tactics.cublasLtVersion) +
                                       ", this worker has " + std::to_string(cublasLtGetVersion()));
  return tactics;
}

// The algorithm a Lt tactic stored, or nullptr (cuBLASLt's first choice then).
const cublasLtMatmulAlgo_t* storedAlgorithm(const Tactic* tactic, cublasLtMatmulAlgo_t* algo) {
  if (tactic == nullptr || (tactic->kind != TacticKind::Lt && tactic->kind != TacticKind::LtDequantized)) return nullptr;
  std::memcpy(algo, tactic->algo.data(), sizeof *algo);
  return algo;
}

}  // namespace

CudaEngine::CudaEngine(int device, const Plan& plan)
    : device_(device), precision_(plan.precision), type_(storageType(plan.precision)), batch_(plan.batch),
      program_(withoutWeightBytes(plan.program)), tactics_(tacticsOf(plan)),
      arena_(planArena(program_, batch_.max, {dtypeSize(type_), kArenaAlignment, true})), uses_(program_),
      hostIo_(hostIoFromEnv()), weights_(device, plan.program, tactics_, batch_.max),
      contexts_(contextsFromEnv(), [this] { return makeContext(); }) {
  contextSizes_.arenaBytes = arena_.bytes;
  contextSizes_.workspaceBytes = kLtWorkspaceBytes;
  if (hostIo_ == HostIo::Auto || hostIo_ == HostIo::Registered) usePinnedBlocks(device);
  contextSizes_.edgeBuffers = type_ != DType::F32;
  contextSizes_.staging = hostIo_ != HostIo::Pageable;
  for (int32_t v : program_.inputs)
    contextSizes_.inputBytes.push_back(elementsAt(program_.values[v].shape, batch_.max) * sizeof(float));
  for (int32_t v : program_.outputs)
    contextSizes_.outputBytes.push_back(elementsAt(program_.values[v].shape, batch_.max) * sizeof(float));
  for (const Op& op : program_.ops)
    if (op.kind == Op::Kind::Gemm && program_.weights[op.weight].dtype == DType::F8E4M3)
      contextSizes_.fp8ScratchBytes =
          std::max(contextSizes_.fp8ScratchBytes,
                   fp8ScratchBytes(elementsAt(program_.values[op.inputs[0]].shape, batch_.max) / op.k, op.k, op.n));
  // One context now: a plan that does not fit on the device fails at load, not at its first call.
  contexts_.acquire();
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
  const int32_t constant = program_.values[arena_.root[value]].constant;
  if (constant >= 0) return weights_.weight(constant);
  return static_cast<uint8_t*>(ctx.arena.get()) + arena_.offset[value];
}

void* CudaEngine::edgeInput(const ExecContext& ctx, size_t i) const {
  return ctx.edgeInputs.empty() ? pointer(ctx, program_.inputs[i]) : ctx.edgeInputs[i].get();
}

void* CudaEngine::edgeOutput(const ExecContext& ctx, size_t i) const {
  return ctx.edgeOutputs.empty() ? pointer(ctx, program_.outputs[i]) : ctx.edgeOutputs[i].get();
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
  const int64_t rows = elementsAt(program_.values[op.inputs[0]].shape, batch) / op.k;
  const void* x = pointer(ctx, op.inputs[0]);
  void* y = pointer(ctx, op.output);
  const void* bias = op.bias >= 0 ? weights_.weight(op.bias) : nullptr;
  const void* w = weights_.weight(op.weight);
  const DType wType = program_.weights[op.weight].dtype;

  if (const Tactic* gemv = gemvTactic(opIndex, batch)) {
    launchGemv(wType, edgeX ? DType::F32 : type_, edgeY ? DType::F32 : type_, gemv->variant, w, bias, edgeX ? edgeX : x,
               edgeY ? edgeY : y, rows, op.k, op.n, op.activation, op.alpha, ctx.stream.get());
    return;
  }
  const GemmTactics* entry = tactics_.forOp(opIndex);
  const Tactic* tactic = entry ? &entry->tactics[tactics_.bucketFor(batch)] : nullptr;
  cublasLtMatmulAlgo_t stored;
  const cublasLtMatmulAlgo_t* algo = storedAlgorithm(tactic, &stored);
  if (wType == DType::F8E4M3 && tactic != nullptr && tactic->kind == TacticKind::Lt) {
    auto matmul = std::make_unique<LtMatmul>(fp8FullyConnected(rows, op.k, op.n, ctx.fp8Scratch.get()));
    runFp8Gemm(ctx.lt.get(), *matmul, chooseAlgorithm(ctx.lt.get(), *matmul, algo, ctx.workspace.bytes()), w, bias, x, y,
               op.activation, op.alpha, ctx.fp8Scratch.get(), ctx.workspace.get(), ctx.workspace.bytes(),
               ctx.stream.get());
    graph.matmuls.push_back(std::move(matmul));
    return;
  }
  if (wType == DType::F8E4M3) {  // LtDequantized, or nothing timed here
    w = weights_.dequantized(op.weight);
    if (w == nullptr) throw Error(ErrorCode::Plan, "fp8 plan tactics do not cover batch " + std::to_string(batch));
  }
  auto matmul = std::make_unique<LtMatmul>(
      LtShape::fullyConnected(type_, precision_, rows, op.k, op.n, bias != nullptr, op.activation == Activation::Relu));
  matmul->run(ctx.lt.get(), chooseAlgorithm(ctx.lt.get(), *matmul, algo, ctx.workspace.bytes()), w, x, y, bias,
              ctx.workspace.get(), ctx.workspace.bytes(), ctx.stream.get());
  if (!ltFuses(op.activation)) launchActivation(type_, y, y, rows * op.n, op.activation, op.alpha, ctx.stream.get());
  graph.matmuls.push_back(std::move(matmul));
}

void CudaEngine::enqueueMatMul(ExecContext& ctx, const Op& op, int64_t batch, Graph& graph) {
  const BatchedMatmul product = batchedMatmul(
      type_, precision_, atBatch(program_.values[op.inputs[0]].shape, batch),
      atBatch(program_.values[op.inputs[1]].shape, batch), atBatch(program_.values[op.output].shape, batch),
      op.transposeA, op.transposeB);
  const char* a = static_cast<const char*>(pointer(ctx, op.inputs[0]));
  const char* b = static_cast<const char*>(pointer(ctx, op.inputs[1]));
  char* out = static_cast<char*>(pointer(ctx, op.output));
  const int64_t elem = static_cast<int64_t>(dtypeSize(type_));
  auto matmul = std::make_unique<LtMatmul>(product.shape);
  const cublasLtMatmulAlgo_t algo = chooseAlgorithm(ctx.lt.get(), *matmul, nullptr, ctx.workspace.bytes());
  const auto run = [&](const BatchedMatmul::Product& p) {
    matmul->run(ctx.lt.get(), algo, b + p.b * elem, a + p.a * elem, out + p.out * elem, nullptr, ctx.workspace.get(),
                ctx.workspace.bytes(), ctx.stream.get());
  };
  if (product.products.empty()) run({});
  for (const BatchedMatmul::Product& p : product.products) run(p);
  graph.matmuls.push_back(std::move(matmul));
}

void CudaEngine::enqueue(ExecContext& ctx, int64_t batch, Graph& graph) {
  std::vector<const void*> edgeX(program_.ops.size(), nullptr);
  std::vector<void*> edgeY(program_.ops.size(), nullptr);
  std::vector<bool> inputConverted(ctx.edgeInputs.size(), true), outputConverted(ctx.edgeOutputs.size(), true);
  if (contextSizes_.edgeBuffers) {  // 16-bit plans
    const EdgeOps edges = fp32EdgeOps(program_, arena_, uses_, [&](int32_t op) { return gemvTactic(op, batch); });
    for (size_t i = 0; i < edges.input.size(); ++i)
      if (edges.input[i] >= 0) {
        edgeX[edges.input[i]] = ctx.edgeInputs[i].get();
        inputConverted[i] = false;
      }
    for (size_t i = 0; i < edges.output.size(); ++i)
      if (edges.output[i] >= 0) {
        edgeY[edges.output[i]] = ctx.edgeOutputs[i].get();
        outputConverted[i] = false;
      }
  }

  for (size_t i = 0; i < ctx.edgeInputs.size(); ++i) {
    const int32_t v = program_.inputs[i];
    if (inputConverted[i])
      launchConvert(DType::F32, type_, ctx.edgeInputs[i].get(), pointer(ctx, v),
                    elementsAt(program_.values[v].shape, batch), ctx.stream.get());
  }
  for (size_t i = 0; i < program_.ops.size(); ++i) {
    const Op& op = program_.ops[i];
    const auto shape = [&](int32_t v) { return atBatch(program_.values[v].shape, batch); };
    switch (op.kind) {
      case Op::Kind::Gemm: enqueueGemm(ctx, static_cast<int32_t>(i), batch, graph, edgeX[i], edgeY[i]); break;
      case Op::Kind::MatMul: enqueueMatMul(ctx, op, batch, graph); break;
      case Op::Kind::Binary:
        launchBinary(type_, op.binary, pointer(ctx, op.inputs[0]), pointer(ctx, op.inputs[1]), pointer(ctx, op.output),
                     broadcastStrides(shape(op.inputs[0]), shape(op.inputs[1]), shape(op.output)), ctx.stream.get());
        break;
      case Op::Kind::Unary:
        launchActivation(type_, pointer(ctx, op.inputs[0]), pointer(ctx, op.output),
                         elementsAt(program_.values[op.output].shape, batch), op.activation, op.alpha, ctx.stream.get());
        break;
      case Op::Kind::Alias: break;  // same storage (arena plan)
    }
  }
  for (size_t i = 0; i < ctx.edgeOutputs.size(); ++i) {
    const int32_t v = program_.outputs[i];
    if (outputConverted[i])
      launchConvert(type_, DType::F32, pointer(ctx, v), ctx.edgeOutputs[i].get(),
                    elementsAt(program_.values[v].shape, batch), ctx.stream.get());
  }
}

void CudaEngine::run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) {
  checkBatch(batch_, batch);
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
  // The handle, not a reference: gcc 13 warns that one could dangle on the std::function temporary
  // (it cannot: the graph lives in the context).
  const cudaGraphExec_t exec = graphFor(*ctx, batch, [&](Graph& g) { enqueue(*ctx, batch, g); }).exec;
  gpu::check(cudaGraphLaunch(exec, ctx->stream.get()), "cudaGraphLaunch");
  for (size_t i = 0; i < outputs.size(); ++i)
    io.toHost(outputs[i], edgeOutput(*ctx, i), elementsAt(program_.values[program_.outputs[i]].shape, batch) * sizeof(float),
              staging(ctx->stagedOutputs, i));
  io.finish();
}

void CudaEngine::withGraph(int64_t batch, const std::function<void(cudaGraphExec_t, cudaStream_t)>& use) {
  checkBatch(batch_, batch);
  gpu::check(cudaSetDevice(device_), "cudaSetDevice");
  const ContextPool::Lease ctx = contexts_.acquire();
  use(graphFor(*ctx, batch, [&](Graph& g) { enqueue(*ctx, batch, g); }).exec, ctx->stream.get());
}

}  // namespace trtfarm::cuda
