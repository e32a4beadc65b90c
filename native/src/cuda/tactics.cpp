#include "tactics.h"

#include <cublasLt.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <sstream>

#include "../core/base64.h"
#include "../core/error.h"
#include "kernels.h"

namespace trtfarm::cuda {
namespace {

constexpr uint32_t kMagic = 0x55434654;  // "TFCU"
// 2: a `cached` byte after each tactic; format 1 plans (without it) still load.
constexpr uint32_t kFormat = 2;

class Writer {
 public:
  template <typename T>
  void put(const T& v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof v);
  }
  std::vector<uint8_t> bytes;
};

class Reader {
 public:
  explicit Reader(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    if (bytes_.size() - pos_ < sizeof(T)) throw Error(ErrorCode::Plan, "cuda tactics are truncated");
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  // A count that the remaining bytes can hold at `each` bytes per element.
  uint32_t count(size_t each) {
    const uint32_t n = get<uint32_t>();
    if (n > (bytes_.size() - pos_) / each) throw Error(ErrorCode::Plan, "cuda tactics hold an impossible count");
    return n;
  }
  bool done() const { return pos_ == bytes_.size(); }
  // Throws the plan error for a flag byte other than 0 or 1.
  bool flag() {
    const auto v = get<uint8_t>();
    if (v > 1) throw Error(ErrorCode::Plan, "cuda tactics hold a flag that is neither 0 nor 1");
    return v == 1;
  }

 private:
  const std::vector<uint8_t>& bytes_;
  size_t pos_ = 0;
};

void putTactic(Writer& w, const Tactic& t) {
  w.put(static_cast<uint8_t>(t.kind));
  w.put(t.variant);
  for (uint64_t word : t.algo) w.put(word);
  w.put(t.workspaceBytes);
  w.put(t.micros);
}

Tactic getTactic(Reader& r) {
  Tactic t;
  const auto kind = r.get<uint8_t>();
  if (kind < 1 || kind > static_cast<uint8_t>(TacticKind::LtDequantized)) throw Error(ErrorCode::Plan, "cuda tactics name an unknown kernel kind");
  t.kind = static_cast<TacticKind>(kind);
  t.variant = r.get<uint8_t>();
  for (uint64_t& word : t.algo) word = r.get<uint64_t>();
  t.workspaceBytes = r.get<uint64_t>();
  t.micros = r.get<float>();
  return t;
}

}  // namespace

size_t TacticTable::bucketFor(int64_t batch) const {
  for (size_t i = 0; i < buckets.size(); ++i)
    if (buckets[i] >= batch) return i;
  return buckets.empty() ? 0 : buckets.size() - 1;
}

const GemmTactics* TacticTable::forOp(int32_t op) const {
  for (const auto& g : gemms)
    if (g.op == op) return &g;
  return nullptr;
}

const Tactic* TacticTable::find(const GemmKey& key, int64_t rows) const {
  for (const auto& g : gemms) {
    if (!(g.key == key)) continue;
    for (size_t b = 0; b < g.rows.size(); ++b)
      if (g.rows[b] == rows) return &g.tactics[b];
  }
  return nullptr;
}

std::vector<uint8_t> TacticTable::serialize() const {
  Writer w;
  w.put(kMagic);
  w.put(kFormat);
  w.put(cublasLtVersion);
  w.put(static_cast<uint8_t>(precision));
  w.put(static_cast<uint32_t>(buckets.size()));
  for (int64_t b : buckets) w.put(b);
  w.put(static_cast<uint32_t>(gemms.size()));
  for (const auto& g : gemms) {
    w.put(g.op);
    w.put(g.key.k);
    w.put(g.key.n);
    w.put(static_cast<uint8_t>(g.key.activation));
    w.put(static_cast<uint8_t>(g.key.bias));
    for (int64_t r : g.rows) w.put(r);
    for (const auto& t : g.tactics) {
      putTactic(w, t);
      w.put(static_cast<uint8_t>(t.cached));
    }
  }
  return w.bytes;
}

TacticTable TacticTable::parse(const std::vector<uint8_t>& bytes) {
  Reader r(bytes);
  if (r.get<uint32_t>() != kMagic) throw Error(ErrorCode::Plan, "tactics are not the cuda backend's");
  const auto format = r.get<uint32_t>();
  if (format < 1 || format > kFormat) throw Error(ErrorCode::Plan, "cuda tactics format is not supported");
  TacticTable table;
  table.cublasLtVersion = r.get<uint64_t>();
  const auto precision = r.get<uint8_t>();
  if (precision > static_cast<uint8_t>(Precision::FP8)) throw Error(ErrorCode::Plan, "cuda tactics name an unknown precision");
  table.precision = static_cast<Precision>(precision);
  const uint32_t nBuckets = r.count(sizeof(int64_t));
  for (uint32_t i = 0; i < nBuckets; ++i) table.buckets.push_back(r.get<int64_t>());
  if (table.buckets.empty() || !std::is_sorted(table.buckets.begin(), table.buckets.end()) || table.buckets[0] < 1)
    throw Error(ErrorCode::Plan, "cuda tactics have no valid batch buckets");
  const uint32_t nGemms = r.count(4 + 8 + 8 + 2);
  for (uint32_t i = 0; i < nGemms; ++i) {
    GemmTactics g;
    g.op = r.get<int32_t>();
    g.key.k = r.get<int64_t>();
    g.key.n = r.get<int64_t>();
    const auto act = r.get<uint8_t>();
    if (act > 5) throw Error(ErrorCode::Plan, "cuda tactics name an unknown activation");
    g.key.activation = static_cast<Activation>(act);
    g.key.bias = r.get<uint8_t>() != 0;
    for (uint32_t b = 0; b < nBuckets; ++b) g.rows.push_back(r.get<int64_t>());
    for (uint32_t b = 0; b < nBuckets; ++b) {
      g.tactics.push_back(getTactic(r));
      if (format >= 2) g.tactics.back().cached = r.flag();
    }
    table.gemms.push_back(std::move(g));
  }
  if (!r.done()) throw Error(ErrorCode::Plan, "cuda tactics have trailing bytes");
  return table;
}

std::string tacticJson(const Tactic& t) {
  std::ostringstream out;
  if (t.kind == TacticKind::Gemv) {
    out << "{\"kernel\":\"gemv\",\"featuresPerWarp\":" << gemvFeaturesPerWarp(t.variant)
        << ",\"sharedX\":" << (gemvStagesX(t.variant) ? "true" : "false")
        << ",\"deep\":" << (gemvDeep(t.variant) ? "true" : "false");
  } else if (t.kind == TacticKind::LtDefault) {
    out << "{\"kernel\":\"cublasLt-heuristic\"";
  } else {
    cublasLtMatmulAlgo_t algo;
    std::memcpy(&algo, t.algo.data(), sizeof algo);
    const char* name = t.kind == TacticKind::LtDequantized ? "cublasLt-fp16-dequantized" : "cublasLt";
    auto attr = [&](cublasLtMatmulAlgoConfigAttributes_t a) {
      uint32_t v = 0;
      size_t written = 0;
      cublasLtMatmulAlgoConfigGetAttribute(&algo, a, &v, sizeof v, &written);
      return v;
    };
    out << "{\"kernel\":\"" << name << "\",\"algo\":" << attr(CUBLASLT_ALGO_CONFIG_ID)
        << ",\"tile\":" << attr(CUBLASLT_ALGO_CONFIG_TILE_ID) << ",\"stages\":" << attr(CUBLASLT_ALGO_CONFIG_STAGES_ID)
        << ",\"splitK\":" << attr(CUBLASLT_ALGO_CONFIG_SPLITK_NUM) << ",\"workspace\":" << t.workspaceBytes;
  }
  out << ",\"us\":" << t.micros << (t.cached ? ",\"cached\":true}" : "}");
  return out.str();
}

std::string timingKey(const GemmKey& key, Precision precision, int64_t rows) {
  // The enums' numbers, not names: a precision or activation added later gets a key of its own.
  return "cuda-fc1:p" + std::to_string(static_cast<int>(precision)) + ":k=" + std::to_string(key.k) +
         ":n=" + std::to_string(key.n) + ":a" + std::to_string(static_cast<int>(key.activation)) +
         (key.bias ? ":bias" : ":nobias") + ":rows=" + std::to_string(rows);
}

std::string encodeTactic(const Tactic& t) {
  Writer w;
  putTactic(w, t);
  return base64Encode(w.bytes);
}

std::optional<Tactic> decodeTactic(const std::string& text) {
  const std::optional<std::vector<uint8_t>> bytes = base64Decode(text);
  if (!bytes) return std::nullopt;
  try {
    Reader r(*bytes);
    Tactic t = getTactic(r);
    if (!r.done()) return std::nullopt;
    return t;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<int64_t> chooseBuckets(const BatchRange& batch) {
  std::set<int64_t> buckets{batch.min, batch.opt, batch.max};
  for (int64_t b = 1; b <= 16; b *= 2)
    if (b > batch.min && b < batch.max) buckets.insert(b);
  for (int64_t b = 64; b < batch.max; b *= 4)
    if (b > batch.min) buckets.insert(b);
  return {buckets.begin(), buckets.end()};
}

}  // namespace trtfarm::cuda
