#include "autotuner.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../gpu/cublaslt.h"
#include "../gpu/stream.h"
#include "dtype_dispatch.h"
#include "fp8_gemm.h"
#include "fp8_kernels.h"
#include "kernels.h"
#include "lt_matmul.h"

namespace trtfarm::cuda {
namespace {

// cuBLASLt's ranked candidates to time: more where the product is compute-bound and the
// heuristic's first picks under a fused epilogue can miss the fastest kernel.
constexpr int kCandidates = 16, kCandidatesLarge = 24;
constexpr int64_t kLargeRows = 256;
constexpr float kBudgetMicros = 2000;  // per candidate: enough repeats for a stable median, no more
constexpr int kMinRepeats = 3, kMaxRepeats = 15;

}  // namespace

Autotuner::Autotuner(cublasLtHandle_t lt, cudaStream_t stream, Precision precision, const CancelFlag* cancel)
    : lt_(lt), stream_(stream), precision_(precision), cancel_(cancel), type_(storageType(precision)) {
  const char* log = std::getenv("TRTFARM_CUDA_TUNING_LOG");
  log_ = log != nullptr && std::string(log) == "1";
  int device = 0, l2 = 0;
  gpu::check(cudaGetDevice(&device), "cudaGetDevice");
  gpu::check(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, device), "cudaDeviceGetAttribute(L2)");
  flush_ = gpu::DeviceBuffer(2 * static_cast<size_t>(l2));
  gpu::check(cudaMemsetAsync(flush_.get(), 0, flush_.bytes(), stream_), "cudaMemsetAsync");
  sink_ = gpu::DeviceBuffer(sizeof(uint32_t));
  workspace_ = gpu::DeviceBuffer(kLtWorkspaceBytes);
}

float Autotuner::time(const std::function<void(const void* w, void* y)>& layer) {
  const gpu::Event start = gpu::newEvent(cudaEventDefault), stop = gpu::newEvent(cudaEventDefault);
  std::vector<float> micros;
  layer(w_.get(), y_.get());  // warm-up: module load, heuristics caches
  for (int rep = 0; rep < kMaxRepeats; ++rep) {
    launchTouch(flush_.get(), static_cast<int64_t>(flush_.bytes()), sink_.get(), stream_);
    gpu::check(cudaEventRecord(start.get(), stream_), "cudaEventRecord");
    layer(w_.get(), y_.get());
    layer(w2_.get(), y2_.get());
    gpu::check(cudaEventRecord(stop.get(), stream_), "cudaEventRecord");
    gpu::check(cudaEventSynchronize(stop.get()), "cudaEventSynchronize");
    float ms = 0;
    gpu::check(cudaEventElapsedTime(&ms, start.get(), stop.get()), "cudaEventElapsedTime");
    micros.push_back(ms * 500);  // two layers: µs per layer
    float total = 0;
    for (float m : micros) total += 2 * m;
    if (rep + 1 >= kMinRepeats && total >= kBudgetMicros) break;
  }
  std::sort(micros.begin(), micros.end());
  return micros[micros.size() / 2];
}

void Autotuner::uploadWeights(const Program& program, const Op& op) {
  const Weights& w = program.weights.at(op.weight);
  w_ = gpu::DeviceBuffer(w.bytes.size());
  w2_ = gpu::DeviceBuffer(w.bytes.size());
  gpu::check(cudaMemcpy(w_.get(), w.bytes.data(), w.bytes.size(), cudaMemcpyHostToDevice), "cudaMemcpy(weights)");
  gpu::check(cudaMemcpy(w2_.get(), w_.get(), w.bytes.size(), cudaMemcpyDeviceToDevice), "cudaMemcpy(weights)");
  dequantized_ = gpu::DeviceBuffer();
  dequantized2_ = gpu::DeviceBuffer();
  if (w.dtype == DType::F8E4M3) {
    dequantized_ = gpu::DeviceBuffer(static_cast<size_t>(op.n * op.k) * sizeof(uint16_t));
    dequantized2_ = gpu::DeviceBuffer(dequantized_.bytes());
    launchDequantizeE4m3(w_.get(), dequantized_.get(), op.n, op.k, stream_);
    launchDequantizeE4m3(w2_.get(), dequantized2_.get(), op.n, op.k, stream_);
    gpu::check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
  }
  bias_ = gpu::DeviceBuffer();
  if (op.bias >= 0) {
    const Weights& b = program.weights.at(op.bias);
    bias_ = gpu::DeviceBuffer(b.bytes.size());
    gpu::check(cudaMemcpy(bias_.get(), b.bytes.data(), b.bytes.size(), cudaMemcpyHostToDevice), "cudaMemcpy(bias)");
  }
}

Tactic Autotuner::tune(const Program& program, int32_t opIndex, int64_t rows) {
  const Op& op = program.ops.at(opIndex);
  if (weightsOf_ != opIndex) {
    uploadWeights(program, op);
    weightsOf_ = opIndex;
  }
  const size_t elem = dtypeSize(type_);
  if (x_.bytes() < rows * op.k * elem) x_ = gpu::DeviceBuffer(rows * op.k * elem);
  if (y_.bytes() < rows * op.n * elem) {
    y_ = gpu::DeviceBuffer(rows * op.n * elem);
    y2_ = gpu::DeviceBuffer(rows * op.n * elem);
  }
  launchFillRandom(type_, x_.get(), rows * op.k, 0x7f4a7c15u, stream_);
  const void* bias = op.bias >= 0 ? bias_.get() : nullptr;
  const bool fused = ltFuses(op.activation);
  const DType wType = program.weights.at(op.weight).dtype;
  const bool fp8 = wType == DType::F8E4M3;
  if (fp8 && scratch_.bytes() < fp8ScratchBytes(rows, op.k, op.n))
    scratch_ = gpu::DeviceBuffer(fp8ScratchBytes(rows, op.k, op.n));

  Tactic best;
  best.micros = -1;
  auto consider = [&](Tactic candidate, const std::function<void(const void*, void*)>& layer) {
    throwIfCancelled(cancel_);
    try {
      candidate.micros = time(layer);
    } catch (const Error& e) {
      cudaGetLastError();
      if (log_)
        std::fprintf(stderr, "  tuning rows=%lld: candidate failed: %s\n", static_cast<long long>(rows), e.what());
      return;  // this candidate cannot run here: the others still can
    }
    if (log_)
      std::fprintf(stderr, "  tuning %lldx%lld rows=%lld %s: %.2f us\n", static_cast<long long>(op.k),
                   static_cast<long long>(op.n), static_cast<long long>(rows), tacticJson(candidate).c_str(),
                   candidate.micros);
    if (best.micros < 0 || candidate.micros < best.micros) best = candidate;
  };

  // Every cuBLASLt candidate of `shape` as a tactic of `kind`; fp8 builds time both their fp8
  // products (Lt) and fp16 ones on the dequantized weights (LtDequantized).
  const int count = rows >= kLargeRows ? kCandidatesLarge : kCandidates;
  auto timeLt = [&](const LtShape& shape, TacticKind kind) {
    LtMatmul matmul(shape);
    for (const auto& result : matmul.candidates(lt_, count, workspace_.bytes())) {
      Tactic t;
      t.kind = kind;
      std::memcpy(t.algo.data(), &result.algo, sizeof result.algo);
      t.workspaceBytes = result.workspaceSize;
      consider(t, [&](const void* w, void* y) {
        if (shape.fp8)
          return runFp8Gemm(lt_, matmul, result.algo, w, bias, x_.get(), y, op.activation, op.alpha, scratch_.get(),
                            workspace_.get(), workspace_.bytes(), stream_);
        if (kind == TacticKind::LtDequantized) w = w == w_.get() ? dequantized_.get() : dequantized2_.get();
        matmul.run(lt_, result.algo, w, x_.get(), y, bias, workspace_.get(), workspace_.bytes(), stream_);
        if (!fused) launchActivation(type_, y, y, rows * op.n, op.activation, op.alpha, stream_);
      });
    }
  };
  const LtShape plain = LtShape::fullyConnected(type_, precision_, rows, op.k, op.n, op.bias >= 0,
                                                op.activation == Activation::Relu);
  timeLt(fp8 ? fp8FullyConnected(rows, op.k, op.n, scratch_.get()) : plain, TacticKind::Lt);
  if (fp8) timeLt(plain, TacticKind::LtDequantized);
  for (int variant = 0; variant < kGemvVariants; ++variant) {
    if (gemvSupports(wType, variant, rows, op.k)) {
      Tactic t;
      t.kind = TacticKind::Gemv;
      t.variant = static_cast<uint8_t>(variant);
      consider(t, [&](const void* w, void* y) {
        launchGemv(wType, type_, type_, variant, w, bias, x_.get(), y, rows, op.k, op.n, op.activation, op.alpha,
                   stream_);
      });
    }
  }
  if (best.micros < 0) best = Tactic{};  // nothing ran: leave the choice to cuBLASLt at run time
  return best;
}

}  // namespace trtfarm::cuda
