// One cuBLASLt matrix product with its descriptors, in cuBLASLt's column-major terms:
// D[m, n] = op(A)[m, k] · op(B)[k, n], plus bias[m] and ReLU when fused, batched with strides.
// Row-major FC out[rows, n] = x[rows, k] · W[n, k]ᵀ is D = Wᵀ-op · x with m = n, n = rows: the
// "TN" layout that cuBLASLt's fastest kernels expect.
#pragma once

#include <cublasLt.h>

#include <cstddef>
#include <vector>

#include "../core/program.h"

namespace trtfarm::cuda {

struct LtShape {
  DType type = DType::F32;
  Precision precision = Precision::FP32;
  int64_t m = 0, n = 0, k = 0;
  bool transA = false, transB = false;
  int64_t lda = 0, ldb = 0, ldd = 0;
  int32_t batchCount = 1;
  int64_t strideA = 0, strideB = 0, strideD = 0;  // 0 broadcasts that operand over the batch
  bool bias = false;
  bool relu = false;
  // A and B in e4m3, D in fp16 scaled by 1/448 (kFp8OutputScale), B scaled by the device
  // scalar at scaleB (set before the heuristic is asked: kernels without scaling may be
  // offered otherwise): fp8 builds' FC products, whose per-channel scales, bias and
  // activation follow in fp8_gemm's epilogue.
  bool fp8 = false;
  const float* scaleB = nullptr;

  static LtShape fullyConnected(DType type, Precision precision, int64_t rows, int64_t k, int64_t n, bool bias,
                                bool relu);
};

// The activations cuBLASLt applies in its epilogue; the rest run as a kernel after the product.
// GELU is not among them: cuBLASLt's is the tanh approximation, the network's is the exact erf.
constexpr float kFp8OutputScale = 1.0f / 448.0f;  // e4m3 weights are ≤ 448: keeps fp16 D in range

inline bool ltFuses(Activation act) { return act == Activation::None || act == Activation::Relu; }

// The workspace every cuBLASLt product gets, at tuning as at run time.
constexpr size_t kLtWorkspaceBytes = 32u << 20;

class LtMatmul {
 public:
  explicit LtMatmul(const LtShape& shape);
  ~LtMatmul();
  LtMatmul(const LtMatmul&) = delete;
  LtMatmul& operator=(const LtMatmul&) = delete;

  const LtShape& shape() const { return shape_; }
  // cuBLASLt's ranked candidates that need at most `maxWorkspace` bytes.
  std::vector<cublasLtMatmulHeuristicResult_t> candidates(cublasLtHandle_t handle, int count,
                                                          size_t maxWorkspace) const;
  // Whether `algo` runs this shape, and the workspace it needs then.
  bool supports(cublasLtHandle_t handle, const cublasLtMatmulAlgo_t& algo, size_t* workspace) const;
  void run(cublasLtHandle_t handle, const cublasLtMatmulAlgo_t& algo, const void* a, const void* b, void* d,
           const void* bias, void* workspace, size_t workspaceBytes, cudaStream_t stream);

 private:
  void release();

  LtShape shape_;
  cublasLtMatmulDesc_t desc_ = nullptr;
  cublasLtMatrixLayout_t a_ = nullptr, b_ = nullptr, d_ = nullptr;
};

// `stored` (a tuned algorithm; nullptr: none) when it still runs `matmul` within
// `workspaceBytes`, else cuBLASLt's first choice. Throws Error{Runtime} when there is none.
cublasLtMatmulAlgo_t chooseAlgorithm(cublasLtHandle_t handle, const LtMatmul& matmul, const cublasLtMatmulAlgo_t* stored,
                                     size_t workspaceBytes);

}  // namespace trtfarm::cuda
