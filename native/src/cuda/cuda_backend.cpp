#include "cuda_backend.h"

#include <cublasLt.h>
#include <cuda_runtime.h>

#include <cstring>
#include <map>
#include <optional>
#include <sstream>

#include "autotuner.h"
#include "../gpu/cublaslt.h"
#include "../gpu/device_query.h"
#include "../gpu/stream.h"
#include "cuda_engine.h"
#include "device_query.h"
#include "dtype_dispatch.h"
#include "kernels.h"
#include "../core/shapes.h"
#include "tactics.h"

namespace trtfarm::cuda {
namespace {

// Rows of Gemm op `op` at `batch`: its input flattened to [rows, k].
int64_t rowsAt(const Program& program, const Op& op, int64_t batch) {
  return elementsAt(program.values.at(op.inputs.at(0)).shape, batch) / op.k;
}

class CudaBackend : public Backend {
 public:
  explicit CudaBackend(int device) : device_(device) {
    std::string reason;
    const int count = gpu::visibleDeviceCount(&reason);
    if (device < 0 || device >= count)
      throw Error(ErrorCode::Backend, "no cuda device " + std::to_string(device) + " (" + std::to_string(count) +
                                          " visible" + (reason.empty() ? "" : ": " + reason) + ")");
    info_ = gpu::describeDevice(device);
    key_ = compatKeyFor(device);
  }

  std::string name() const override { return "cuda"; }
  std::string version() const override { return libraryVersion(); }
  std::string compatKey() const override { return key_; }
  DeviceInfo device() const override { return info_; }

  std::vector<uint8_t> tune(const Program& program, const BuildConfig& config, const BatchRange& batch,
                            const ProgressFn& progress) override {
    gpu::check(cudaSetDevice(device_), "cudaSetDevice");
    TacticTable table;
    table.cublasLtVersion = cublasLtGetVersion();
    table.precision = config.precision;
    table.buckets = chooseBuckets(batch);
    const TacticTable earlier = reusable(config);
    const std::map<std::string, Tactic> cache = cachedTactics(config);

    size_t gemms = 0;
    for (const Op& op : program.ops) gemms += op.kind == Op::Kind::Gemm;
    const size_t total = gemms * table.buckets.size();
    size_t done = 0;

    // Declared before the tuner that uses them, so they are destroyed after it.
    const gpu::Stream stream = gpu::newStream();
    const gpu::LtHandle lt = gpu::newLtHandle();
    if (progress) progress(0, "autotuning");
    std::optional<Autotuner> tuner;  // made at the first product to time: a warm cache times none
    for (size_t i = 0; i < program.ops.size(); ++i) {
      const Op& op = program.ops[i];
      if (op.kind != Op::Kind::Gemm) continue;
      table.gemms.emplace_back();
      GemmTactics& g = table.gemms.back();
      g.op = static_cast<int32_t>(i);
      g.key = {op.k, op.n, op.activation, op.bias >= 0};
      for (int64_t bucket : table.buckets) {
        const int64_t rows = rowsAt(program, op, bucket);
        throwIfCancelled(config.cancel);
        const Tactic* known = earlier.find(g.key, rows);
        const auto hit = cache.find(timingKey(g.key, config.precision, rows));
        if (!known && hit != cache.end() && cachedTacticRuns(hit->second, program.weights.at(op.weight).dtype, rows, op.k))
          known = &hit->second;
        if (!known) known = table.find(g.key, rows);  // the same product timed earlier in this build
        if (!known && !tuner) tuner.emplace(lt.get(), stream.get(), config.precision, config.cancel);
        const Tactic chosen = known ? *known : tuner->tune(program, g.op, rows);
        g.rows.push_back(rows);
        g.tactics.push_back(chosen);
        ++done;
        if (progress)
          progress(static_cast<double>(done) / total,
                   "autotuning layer " + std::to_string(i) + " (" + std::to_string(op.k) + "x" +
                       std::to_string(op.n) + ") at batch " + std::to_string(bucket));
      }
    }
    return table.serialize();
  }

  std::string describeTactics(const std::vector<uint8_t>& tactics) const override {
    const TacticTable table = TacticTable::parse(tactics);
    std::ostringstream out;
    out << "{\"buckets\":[";
    for (size_t b = 0; b < table.buckets.size(); ++b) out << (b ? "," : "") << table.buckets[b];
    out << "],\"layers\":[";
    for (size_t i = 0; i < table.gemms.size(); ++i) {
      const GemmTactics& g = table.gemms[i];
      out << (i ? "," : "") << "{\"op\":" << g.op << ",\"k\":" << g.key.k << ",\"n\":" << g.key.n << ",\"tactics\":[";
      for (size_t b = 0; b < g.tactics.size(); ++b) {
        std::string t = tacticJson(g.tactics[b]);
        out << (b ? "," : "") << "{\"batch\":" << table.buckets[b] << ",\"rows\":" << g.rows[b] << "," << t.substr(1);
      }
      out << "]}";
    }
    out << "]}";
    return out.str();
  }

  std::optional<TimingCacheResult> timingCache(const std::vector<uint8_t>& tactics) const override {
    const TacticTable table = TacticTable::parse(tactics);
    TimingCacheResult result;
    std::map<std::string, std::string> winners;  // one entry per key: equal keys have equal winners
    for (const GemmTactics& g : table.gemms)
      for (size_t b = 0; b < g.tactics.size(); ++b) {
        result.hits += g.tactics[b].cached;
        // A heuristic fallback means no candidate ran: not worth telling the fleet.
        if (g.tactics[b].kind != TacticKind::LtDefault)
          winners.emplace(timingKey(g.key, table.precision, g.rows[b]), encodeTactic(g.tactics[b]));
      }
    for (auto& [key, tactic] : winners) result.entries.push_back({key, std::move(tactic)});
    return result;
  }

  std::unique_ptr<Engine> load(const Plan& plan) override { return std::make_unique<CudaEngine>(device_, plan); }

 private:
  // The earlier build's tactics when they are cuda tactics for this cuBLASLt and precision (a
  // timing cache entry from elsewhere is ignored, not an error: the build times afresh).
  static TacticTable reusable(const BuildConfig& config) {
    if (config.reuseTactics.empty()) return {};
    try {
      TacticTable earlier = TacticTable::parse(config.reuseTactics);
      if (earlier.cublasLtVersion == cublasLtGetVersion() && earlier.precision == config.precision) return earlier;
    } catch (const Error&) {
    }
    return {};
  }

  // config.timingCache by key, marked cached; entries that are not tactics are ignored (the
  // product is timed instead), as a stale cache must never fail a build.
  static std::map<std::string, Tactic> cachedTactics(const BuildConfig& config) {
    std::map<std::string, Tactic> cache;
    for (const TimingEntry& entry : config.timingCache) {
      std::optional<Tactic> t = decodeTactic(entry.tactic);
      if (!t) continue;
      t->cached = true;
      cache[entry.key] = *t;
    }
    return cache;
  }

  // Whether a cached tactic can run this product, whose weights are `weights` (an fp8 build keeps
  // some in fp16): the GEMV kernels have shape bounds, and dequantizing needs e4m3 weights.
  static bool cachedTacticRuns(const Tactic& t, DType weights, int64_t rows, int64_t k) {
    if (t.kind == TacticKind::Gemv) return t.variant < kGemvVariants && gemvSupports(weights, t.variant, rows, k);
    return t.kind != TacticKind::LtDequantized || weights == DType::F8E4M3;
  }

  int device_;
  DeviceInfo info_;
  std::string key_;
};

}  // namespace

BackendStatus status() {
  BackendStatus s;
  s.name = "cuda";
  s.compiled = true;
  std::string reason;
  const int count = gpu::visibleDeviceCount(&reason);
  s.available = count > 0;
  s.reason = reason;
  try {
    s.version = libraryVersion();
    for (int i = 0; i < count; ++i) s.devices.push_back(gpu::describeDevice(i));
  } catch (const Error& e) {
    s.available = false;
    s.reason = e.what();
  }
  return s;
}

std::unique_ptr<Backend> create(int device) { return std::make_unique<CudaBackend>(device); }

}  // namespace trtfarm::cuda
