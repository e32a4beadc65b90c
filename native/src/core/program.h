// The backend-independent program a build produces and a plan stores.
// Contract between the builder (core) and every backend (cpu, cuda, tensorrt).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace trtfarm {

class CancelFlag;

// Tensor dimensions. Dimension 0 equal to kDynamic marks a value that scales with the batch
// (the seed's rule: only the batch may be dynamic). Backends substitute the run's batch for it.
using Dims = std::vector<int64_t>;
constexpr int64_t kDynamic = -1;

// FP8: FC weights in e4m3 with one fp32 scale per output channel, everything else fp16 (a cuda
// precision: the other backends refuse it at validation).
enum class Precision : uint8_t { FP32 = 0, TF32 = 1, FP16 = 2, BF16 = 3, FP8 = 4 };
enum class DType : uint8_t { F32 = 0, F16 = 1, BF16 = 2, F8E4M3 = 3 };
enum class Activation : uint8_t { None = 0, Relu = 1, Sigmoid = 2, Tanh = 3, Gelu = 4, LeakyRelu = 5 };
enum class BinaryOp : uint8_t { Sum = 0, Prod = 1, Sub = 2, Max = 3, Min = 4 };

// Constant data (weights, biases, constants), stored in `dtype`: f32 for fp32/tf32 builds,
// f16/bf16 for the 16-bit precisions (little-endian, row-major). F8E4M3 (an fp8 build's FC
// weights, shape [n, k]): the n·k e4m3 bytes, then n fp32 scales (value = e4m3 · scale[row]).
struct Weights {
  DType dtype = DType::F32;
  Dims shape;
  std::vector<uint8_t> bytes;
};

// A tensor of the program: network input, intermediate, output or constant.
struct Value {
  std::string name;
  Dims shape;              // dim 0 may be kDynamic
  int32_t constant = -1;   // index into Program::weights when the value is a constant
};

struct Op {
  enum class Kind : uint8_t {
    // out[rows, n] = act(in[rows, k] · W[n, k]ᵀ + bias[n]); W = weights[weight] (shape [n, k]),
    // bias = weights[bias] (shape [n]) or none when bias < 0. rows = numel(in) / k.
    // Both seed forms (fullyConnected, and matmul + bias + activation) compile to this.
    Gemm = 0,
    // Batched matrix product of two values over their last two dims, size-1 leading dims broadcast.
    MatMul = 1,
    // Element-wise binary op with size-1 broadcasting (numpy rules, right-aligned).
    Binary = 2,
    // Element-wise activation.
    Unary = 3,
    // Same bytes, new shape (reshape): backends may alias the buffer.
    Alias = 4,
  };
  Kind kind = Kind::Gemm;
  std::vector<int32_t> inputs;   // value indices (Gemm: 1, MatMul/Binary: 2, Unary/Alias: 1)
  int32_t output = -1;           // value index
  // Gemm
  int64_t k = 0, n = 0;
  int32_t weight = -1, bias = -1;
  // Gemm epilogue and Unary
  Activation activation = Activation::None;
  float alpha = 0.01f;           // leakyRelu slope
  // MatMul
  bool transposeA = false, transposeB = false;
  // Binary
  BinaryOp binary = BinaryOp::Sum;
};

struct Program {
  std::vector<Value> values;
  std::vector<Weights> weights;
  std::vector<Op> ops;             // topological order
  std::vector<int32_t> inputs;     // network inputs, in declaration order
  std::vector<int32_t> outputs;    // network outputs, in declaration order
  // Weights hold shapes but no bytes: the passes' dry run that sizes a build before it starts
  // (build_cost.h). Never serialized.
  bool shapesOnly = false;
};

// `program` with the weights' dtypes and shapes but none of their bytes: what an engine keeps
// once it holds the weights in its own form (widened, packed, on the device).
Program withoutWeightBytes(const Program& program);

// Batch range of the optimization profile. For a static network min = opt = max = the fixed batch.
struct BatchRange {
  int64_t min = 1, opt = 1, max = 1;
};

// tensorrt only: engines that run beyond the building GPU and library (TensorRT's hardware
// compatibility level and kVERSION_COMPATIBLE). Such plans carry a wider compatKey.
enum class HardwareCompatibility { None, AmperePlus, SameComputeCapability };
struct TensorrtOptions {
  bool versionCompatible = false;
  HardwareCompatibility hardware = HardwareCompatibility::None;
};

// One timing-cache entry: `key` names what was timed (layer kind and shape, precision, rows),
// `tactic` is the backend's opaque encoding of the winner.
struct TimingEntry {
  std::string key, tactic;
};

// What a build may cost, checked from shapes before any work (build_cost.h). Unlimited unless
// the caller says (the API passes shared/network/limits.ts).
struct BuildLimits {
  double planBytes = std::numeric_limits<double>::infinity();    // weights the plan stores
  double foldedBytes = std::numeric_limits<double>::infinity();  // fp32 constants folding computes
  double foldFlops = std::numeric_limits<double>::infinity();    // arithmetic of constant folding
};

struct BuildConfig {
  Precision precision = Precision::FP32;
  // Per dynamic input: full shapes min/opt/max (only dim 0 may differ from the declared shape).
  std::map<std::string, std::vector<Dims>> profile;
  std::string backend = "cpu";
  int device = 0;
  // Tactics of an earlier build of the same program (a timing cache): a backend that autotunes
  // reuses them instead of timing again, so that the rebuild gives the same plan bytes.
  std::vector<uint8_t> reuseTactics;
  TensorrtOptions tensorrt;
  // Autotuning winners of earlier builds anywhere in the fleet, read before timing (the cuda
  // backend's timing cache; other backends ignore it).
  std::vector<TimingEntry> timingCache;
  BuildLimits limits;
  const CancelFlag* cancel = nullptr;  // not owned; null: the build cannot be cancelled
};

}  // namespace trtfarm
