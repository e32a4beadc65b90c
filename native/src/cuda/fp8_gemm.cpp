#include "fp8_gemm.h"

#include <cstdint>

#include "../core/error.h"
#include "fp8_kernels.h"

namespace trtfarm::cuda {
namespace {

// Scratch: the activations' max magnitude (a word), their scale (16 bytes in: cuBLASLt wants
// 16-byte aligned pointers), the quantized activations and the fp16 product, each 256-aligned.
constexpr size_t kAlign = 256, kScaleOffset = 16;

size_t aligned(size_t bytes) { return (bytes + kAlign - 1) / kAlign * kAlign; }

}  // namespace

LtShape fp8FullyConnected(int64_t rows, int64_t k, int64_t n, void* scratch) {
  LtShape s = LtShape::fullyConnected(DType::F16, Precision::FP8, rows, k, n, false, false);
  s.fp8 = true;
  s.scaleB = reinterpret_cast<const float*>(static_cast<uint8_t*>(scratch) + kScaleOffset);
  return s;
}

size_t fp8ScratchBytes(int64_t rows, int64_t k, int64_t n) {
  return kAlign + aligned(static_cast<size_t>(rows * k)) + static_cast<size_t>(rows * n) * sizeof(uint16_t);
}

bool fp8Shaped(int64_t k, int64_t n) { return k % 16 == 0 && n % 16 == 0; }

void runFp8Gemm(cublasLtHandle_t handle, LtMatmul& matmul, const cublasLtMatmulAlgo_t& algo, const void* w,
                const void* bias, const void* x, void* y, Activation act, float alpha, void* scratch, void* workspace,
                size_t workspaceBytes, cudaStream_t stream) {
  const LtShape& s = matmul.shape();
  const int64_t rows = s.n, k = s.k, n = s.m;
  if (!s.fp8 || !fp8Shaped(k, n))
    throw Error(ErrorCode::Runtime, "fp8 product needs an fp8 shape with k and n multiples of 16");
  auto* base = static_cast<uint8_t*>(scratch);
  auto* amax = reinterpret_cast<unsigned*>(base);
  auto* scale = reinterpret_cast<float*>(base + kScaleOffset);
  if (s.scaleB != scale) throw Error(ErrorCode::Runtime, "fp8 product made for another scratch buffer");
  void* q = base + kAlign;
  void* d = (base + kAlign + aligned(static_cast<size_t>(rows * k)));
  launchQuantizeE4m3(x, q, rows * k, amax, scale, stream);
  matmul.run(handle, algo, w, q, d, nullptr, workspace, workspaceBytes, stream);
  const auto* channelScale = reinterpret_cast<const float*>(static_cast<const uint8_t*>(w) + n * k);
  launchFp8Epilogue(d, channelScale, 1.0f / kFp8OutputScale, bias, y, rows, n, act, alpha, stream);
}

}  // namespace trtfarm::cuda
