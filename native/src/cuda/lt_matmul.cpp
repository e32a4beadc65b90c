#include "lt_matmul.h"

#include "../core/error.h"
#include "../gpu/cublaslt.h"

namespace trtfarm::cuda {
namespace {

cudaDataType_t dataType(DType type) {
  switch (type) {
    case DType::F16: return CUDA_R_16F;
    case DType::BF16: return CUDA_R_16BF;
    case DType::F8E4M3: return CUDA_R_8F_E4M3;
    default: return CUDA_R_32F;
  }
}

cublasLtMatrixLayout_t makeLayout(DType type, int64_t rows, int64_t cols, int64_t ld, int32_t batch, int64_t stride) {
  cublasLtMatrixLayout_t layout = nullptr;
  gpu::check(cublasLtMatrixLayoutCreate(&layout, dataType(type), rows, cols, ld), "cublasLtMatrixLayoutCreate");
  if (batch > 1) {
    gpu::check(cublasLtMatrixLayoutSetAttribute(layout, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, &batch, sizeof batch),
               "cublasLtMatrixLayoutSetAttribute(batch count)");
    gpu::check(cublasLtMatrixLayoutSetAttribute(layout, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &stride, sizeof stride),
               "cublasLtMatrixLayoutSetAttribute(batch stride)");
  }
  return layout;
}

}  // namespace

LtShape LtShape::fullyConnected(DType type, Precision precision, int64_t rows, int64_t k, int64_t n, bool bias,
                                bool relu) {
  LtShape s;
  s.type = type;
  s.precision = precision;
  s.m = n;
  s.n = rows;
  s.k = k;
  s.transA = true;  // W is [n, k] row-major = k×n column-major
  s.lda = k;
  s.ldb = k;
  s.ldd = n;
  s.bias = bias;
  s.relu = relu;
  return s;
}

LtMatmul::LtMatmul(const LtShape& shape) : shape_(shape) {
  try {
    const cublasComputeType_t compute =
        shape.precision == Precision::TF32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
    gpu::check(cublasLtMatmulDescCreate(&desc_, compute, CUDA_R_32F), "cublasLtMatmulDescCreate");
    const cublasOperation_t opA = shape.transA ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t opB = shape.transB ? CUBLAS_OP_T : CUBLAS_OP_N;
    gpu::check(cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_TRANSA, &opA, sizeof opA),
               "cublasLtMatmulDescSetAttribute(transa)");
    gpu::check(cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_TRANSB, &opB, sizeof opB),
               "cublasLtMatmulDescSetAttribute(transb)");
    const cublasLtEpilogue_t epilogue = shape.bias ? (shape.relu ? CUBLASLT_EPILOGUE_RELU_BIAS : CUBLASLT_EPILOGUE_BIAS)
                                                   : (shape.relu ? CUBLASLT_EPILOGUE_RELU : CUBLASLT_EPILOGUE_DEFAULT);
    gpu::check(cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_EPILOGUE, &epilogue, sizeof epilogue),
               "cublasLtMatmulDescSetAttribute(epilogue)");
    const int64_t aRows = shape.transA ? shape.k : shape.m, aCols = shape.transA ? shape.m : shape.k;
    const int64_t bRows = shape.transB ? shape.n : shape.k, bCols = shape.transB ? shape.k : shape.n;
    const DType operands = shape.fp8 ? DType::F8E4M3 : shape.type, result = shape.fp8 ? DType::F16 : shape.type;
    if (shape.fp8) {
      const int8_t fast = 1;  // Hopper's fast fp8 accumulation: within fp8's own error at these depths
      gpu::check(cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_FAST_ACCUM, &fast, sizeof fast),
                 "cublasLtMatmulDescSetAttribute(fast accumulation)");
      gpu::check(cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &shape.scaleB,
                                                sizeof shape.scaleB),
                 "cublasLtMatmulDescSetAttribute(B scale)");
    }
    a_ = makeLayout(operands, aRows, aCols, shape.lda, shape.batchCount, shape.strideA);
    b_ = makeLayout(operands, bRows, bCols, shape.ldb, shape.batchCount, shape.strideB);
    d_ = makeLayout(result, shape.m, shape.n, shape.ldd, shape.batchCount, shape.strideD);
  } catch (...) {
    release();
    throw;
  }
}

LtMatmul::~LtMatmul() { release(); }

void LtMatmul::release() {
  if (d_) cublasLtMatrixLayoutDestroy(d_);
  if (b_) cublasLtMatrixLayoutDestroy(b_);
  if (a_) cublasLtMatrixLayoutDestroy(a_);
  if (desc_) cublasLtMatmulDescDestroy(desc_);
  d_ = b_ = a_ = nullptr;
  desc_ = nullptr;
}

std::vector<cublasLtMatmulHeuristicResult_t> LtMatmul::candidates(cublasLtHandle_t handle, int count,
                                                                  size_t maxWorkspace) const {
  cublasLtMatmulPreference_t preference = nullptr;
  gpu::check(cublasLtMatmulPreferenceCreate(&preference), "cublasLtMatmulPreferenceCreate");
  std::vector<cublasLtMatmulHeuristicResult_t> results(count);
  int returned = 0;
  const uint64_t workspace = maxWorkspace;
  cublasStatus_t status = cublasLtMatmulPreferenceSetAttribute(
      preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace);
  if (status == CUBLAS_STATUS_SUCCESS)
    status = cublasLtMatmulAlgoGetHeuristic(handle, desc_, a_, b_, d_, d_, preference, count, results.data(),
                                            &returned);
  cublasLtMatmulPreferenceDestroy(preference);
  gpu::check(status, "cublasLtMatmulAlgoGetHeuristic");
  results.resize(returned);
  return results;
}

bool LtMatmul::supports(cublasLtHandle_t handle, const cublasLtMatmulAlgo_t& algo, size_t* workspace) const {
  cublasLtMatmulHeuristicResult_t result{};
  if (cublasLtMatmulAlgoCheck(handle, desc_, a_, b_, d_, d_, &algo, &result) != CUBLAS_STATUS_SUCCESS) return false;
  if (result.state != CUBLAS_STATUS_SUCCESS) return false;
  *workspace = result.workspaceSize;
  return true;
}

void LtMatmul::run(cublasLtHandle_t handle, const cublasLtMatmulAlgo_t& algo, const void* a, const void* b, void* d,
                   const void* bias, void* workspace, size_t workspaceBytes, cudaStream_t stream) {
  if (shape_.bias)
    gpu::check(cublasLtMatmulDescSetAttribute(desc_, CUBLASLT_MATMUL_DESC_BIAS_POINTER, &bias, sizeof bias),
               "cublasLtMatmulDescSetAttribute(bias)");
  const float one = shape_.fp8 ? kFp8OutputScale : 1.0f, zero = 0.0f;
  gpu::check(cublasLtMatmul(handle, desc_, &one, a, a_, b, b_, &zero, d, d_, d, d_, &algo, workspace, workspaceBytes,
                            stream),
             "cublasLtMatmul");
}

cublasLtMatmulAlgo_t chooseAlgorithm(cublasLtHandle_t handle, const LtMatmul& matmul, const cublasLtMatmulAlgo_t* stored,
                                     size_t workspaceBytes) {
  size_t workspace = 0;
  if (stored != nullptr && matmul.supports(handle, *stored, &workspace) && workspace <= workspaceBytes) return *stored;
  const auto results = matmul.candidates(handle, 1, workspaceBytes);
  if (results.empty()) throw Error(ErrorCode::Runtime, "cuBLASLt has no algorithm for this matrix product");
  return results[0].algo;
}

}  // namespace trtfarm::cuda
