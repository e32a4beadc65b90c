// The fleet-wide timing cache, cold against warm (bench/gpu/timing-cache.sh): the 4-layer MLP
// of 4096 (bias + ReLU, fp16, dynamic batch 1..4096, opt 64) built with an empty cache, then a
// network of the same shapes with other weights built with the first build's winners, as a
// second worker of the fleet would. Each round uses fresh weights; prints one JSON object per
// build and a summary line.
// Usage: trtfarm_timing_cache_bench [ROUNDS]   (default 3)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/builder.h"
#include "mlp.h"

using namespace trtfarm;

namespace {

constexpr int64_t kWidth = bench::kMlpWidth;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Build time as the worker measures it (build + serialize), and the plan's timing-cache view.
double timedBuild(const NetworkSpec& net, const BuildConfig& config, Backend& backend, TimingCacheResult* cache) {
  const auto start = std::chrono::steady_clock::now();
  const Plan plan = buildPlan(net, config, backend, nullptr);
  const std::vector<uint8_t> bytes = serializePlan(plan);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  *cache = *backend.timingCache(plan.tactics);
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  try {
    auto backend = createBackend("cuda", 0);
    BuildConfig config;
    config.backend = "cuda";
    config.precision = Precision::FP16;
    config.profile["x"] = {{1, kWidth}, {64, kWidth}, {4096, kWidth}};
    std::mt19937 rng(20261201);
    std::vector<double> cold, warm;
    size_t hits = 0, entries = 0;
    for (int r = 0; r < rounds; ++r) {
      TimingCacheResult first, second;
      cold.push_back(timedBuild(bench::mlp(rng), config, *backend, &first));
      BuildConfig warmConfig = config;
      warmConfig.timingCache = first.entries;
      warm.push_back(timedBuild(bench::mlp(rng), warmConfig, *backend, &second));
      hits = second.hits;
      entries = first.entries.size();
      std::printf("{\"round\":%d,\"cold_ms\":%.1f,\"warm_ms\":%.1f,\"cold_hits\":%zu,\"warm_hits\":%zu,\"entries\":%zu}\n", r,
                  cold.back(), warm.back(), first.hits, second.hits, entries);
    }
    std::printf("{\"summary\":true,\"rounds\":%d,\"cold_ms\":%.1f,\"warm_ms\":%.1f,\"speedup\":%.2f,\"warm_hits\":%zu,"
                "\"entries\":%zu}\n",
                rounds, median(cold), median(warm), median(cold) / median(warm), hits, entries);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench failed: %s\n", e.what());
    return 1;
  }
  return 0;
}
