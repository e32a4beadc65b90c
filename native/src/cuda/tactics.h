// The cuda backend's tactics bytes (Plan::tactics): per FC op and per batch bucket, which kernel
// runs it. cuBLASLt algorithms are plain data (cublasLtMatmulAlgo_t, 8 words) valid for the
// cuBLASLt version that produced them, which is why that version is in the plan's compatKey.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../core/program.h"

namespace trtfarm::cuda {

enum class TacticKind : uint8_t {
  Lt = 1,         // cublasLtMatmul with the stored algorithm
  Gemv = 2,       // the backend's GEMV kernel, `variant` as in kernels.h
  LtDefault = 3,  // cublasLtMatmul with cuBLASLt's first heuristic choice for the run's shape
  // fp8 builds: fp16 cublasLtMatmul with the stored algorithm on the e4m3 weights dequantized
  // at load (where the fp8 kernels lose, or none runs the shape). Lt in an fp8 build is the
  // fp8 product (fp8_gemm.h).
  LtDequantized = 4,
};

struct Tactic {
  TacticKind kind = TacticKind::LtDefault;
  uint8_t variant = 0;
  std::array<uint64_t, 8> algo{};  // cublasLtMatmulAlgo_t
  uint64_t workspaceBytes = 0;
  float micros = 0;  // measured at tuning: the evidence describeTactics shows
  bool cached = false;  // taken from the fleet's timing cache, not timed by the build that made the plan
};

// What a tactic was timed for: two FC ops with the same key share their timing results.
struct GemmKey {
  int64_t k = 0, n = 0;
  Activation activation = Activation::None;
  bool bias = false;
  bool operator==(const GemmKey& o) const {
    return k == o.k && n == o.n && activation == o.activation && bias == o.bias;
  }
};

struct GemmTactics {
  int32_t op = -1;                  // index into Program::ops
  GemmKey key;
  std::vector<int64_t> rows;        // per bucket: rows of the product at that batch
  std::vector<Tactic> tactics;      // per bucket
};

struct TacticTable {
  uint64_t cublasLtVersion = 0;
  Precision precision = Precision::FP32;
  std::vector<int64_t> buckets;     // ascending batch sizes the tactics were timed at
  std::vector<GemmTactics> gemms;   // one per Gemm op, in op order

  // The first bucket at or above `batch` (the last one for larger batches).
  size_t bucketFor(int64_t batch) const;
  // nullptr when the table has no entry for op `op`.
  const GemmTactics* forOp(int32_t op) const;
  // An earlier timing of the same key and rows (the timing-cache lookup), or nullptr.
  const Tactic* find(const GemmKey& key, int64_t rows) const;

  std::vector<uint8_t> serialize() const;
  // Throws Error{ErrorCode::Plan} naming what is wrong.
  static TacticTable parse(const std::vector<uint8_t>& bytes);
};

// {"kernel":"gemv"|"cublasLt"|"cublasLt-fp16-dequantized"|"cublasLt-heuristic", its configuration,
// "us": timed, "cached": true when it came from the timing cache}
std::string tacticJson(const Tactic& t);

// The fleet-wide timing cache (BuildConfig::timingCache): what was timed, as a key without the
// compatKey (the caller prefixes it), e.g. "cuda-fc1:p2:k=4096:n=4096:a1:bias:rows=64" (Precision
// and Activation by number); bump the "1" when a tactic's meaning changes (new GEMV variants,
// other timing), so that old entries are not read as new ones.
std::string timingKey(const GemmKey& key, Precision precision, int64_t rows);
// A tactic as cache text (base64 of its bytes; `cached` is not part of it), and back: nullopt
// for text that is not a tactic.
std::string encodeTactic(const Tactic& t);
std::optional<Tactic> decodeTactic(const std::string& text);

// The batch sizes to tune at: min, opt and max, the powers of two up to 16 between them (the
// GEMV range, where the best kernel changes quickly with the batch), and the powers of four above.
std::vector<int64_t> chooseBuckets(const BatchRange& batch);

}  // namespace trtfarm::cuda
