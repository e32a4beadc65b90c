#include "device_weights.h"

#include <algorithm>

#include "../core/shapes.h"
#include "fp8_kernels.h"
#include "kernels.h"

namespace trtfarm::cuda {

namespace {

// A GEMV tactic that cannot take the rows of its bucket's top batch (a forced or inherited one)
// falls through to cuBLASLt there, which needs the fp16 copy too.
bool needsFp16(const Program& program, const TacticTable& tactics, int64_t maxBatch, size_t opIndex) {
  const GemmTactics* entry = tactics.forOp(static_cast<int32_t>(opIndex));
  if (entry == nullptr) return true;
  const Op& op = program.ops[opIndex];
  for (size_t b = 0; b < entry->tactics.size(); ++b) {
    const Tactic& t = entry->tactics[b];
    const int64_t top = std::min(tactics.buckets[b], maxBatch);
    const int64_t rows = elementsAt(program.values[op.inputs[0]].shape, top) / op.k;
    if (t.kind == TacticKind::Gemv && !gemvSupports(DType::F8E4M3, t.variant, rows, op.k)) return true;
    if (t.kind != TacticKind::Gemv && t.kind != TacticKind::Lt) return true;
  }
  return false;
}

}  // namespace

DeviceWeights::DeviceWeights(int device, const Program& program, const TacticTable& tactics, int64_t maxBatch) {
  gpu::check(cudaSetDevice(device), "cudaSetDevice");
  for (const Weights& w : program.weights) {
    weights_.emplace_back(w.bytes.size());
    gpu::check(cudaMemcpy(weights_.back().get(), w.bytes.data(), w.bytes.size(), cudaMemcpyHostToDevice),
               "cudaMemcpy(weights)");
  }
  dequantized_.resize(program.weights.size());
  for (size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    if (op.kind == Op::Kind::Gemm && program.weights[op.weight].dtype == DType::F8E4M3 &&
        dequantized_[op.weight].bytes() == 0 && needsFp16(program, tactics, maxBatch, i)) {
      dequantized_[op.weight] = gpu::DeviceBuffer(static_cast<size_t>(op.n * op.k) * sizeof(uint16_t));
      // On the default stream: shared by every context, which all start later.
      launchDequantizeE4m3(weights_[op.weight].get(), dequantized_[op.weight].get(), op.n, op.k, nullptr);
    }
  }
  gpu::check(cudaStreamSynchronize(nullptr), "cudaStreamSynchronize");
}

}  // namespace trtfarm::cuda
