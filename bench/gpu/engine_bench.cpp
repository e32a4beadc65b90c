// The cuda engine's side of bench/gpu/run.sh: the 4-layer MLP of 4096 (bias + ReLU) built and
// loaded through the core like any plan (dynamic batch 1..4096), at every precision; per batch
// the CUDA-event median of graph replays (device time, as PyTorch is timed) and the median
// host time of a whole run() (pinned copies in and out included). For batches up to 64 also
// one layer alone (a one-layer plan of the same shape and precision): the per-layer time.
// Usage: trtfarm_cuda_bench OUTDIR. Writes OUTDIR/weights.bin (fp32, per layer W[n,k] then
// b[n]) for the PyTorch side, OUTDIR/in_b8.bin and OUTDIR/out_<precision>_b8.bin for the
// accuracy comparison, and one JSON object per line to OUTDIR/engine.jsonl.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/builder.h"
#include "cuda/cuda_engine.h"
#include "mlp.h"
#include "registry/runtime.h"
#include "replay_timer.h"

using namespace trtfarm;

namespace {

constexpr int64_t kWidth = bench::kMlpWidth;
constexpr int64_t kMaxBatch = 4096;
constexpr int64_t kCheckBatch = 8;
const int64_t kBatches[] = {1, 2, 4, 8, 16, 32, 64, 256, 1024, 4096};
constexpr int64_t kLayerBatchMax = 64;
const std::pair<Precision, const char*> kPrecisions[] = {{Precision::FP32, "fp32"},
                                                         {Precision::TF32, "tf32"},
                                                         {Precision::FP16, "fp16"},
                                                         {Precision::BF16, "bf16"},
                                                         {Precision::FP8, "fp8"}};

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

template <typename T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void writeFloats(const std::string& path, const std::vector<float>& data) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), data.size() * sizeof(float));
}

std::vector<uint8_t> buildBytes(const NetworkSpec& net, Precision precision, const ProgressFn& progress) {
  BuildConfig config;
  config.backend = "cuda";
  config.precision = precision;
  config.profile["x"] = {{1, kWidth}, {64, kWidth}, {kMaxBatch, kWidth}};
  auto backend = createBackend("cuda", 0);
  return serializePlan(buildPlan(net, config, *backend, progress));
}

// The first FC layer and its ReLU alone.
NetworkSpec firstLayer(const NetworkSpec& net) {
  NetworkSpec one;
  one.inputs = net.inputs;
  one.layers = {net.layers[0], net.layers[1]};
  return one;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::mt19937 rng(4096);
  std::ofstream weightFile(dir + "/weights.bin", std::ios::binary);
  const NetworkSpec net = bench::mlp(rng, &weightFile);
  weightFile.close();
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> input(kMaxBatch * kWidth), output(kMaxBatch * kWidth);
  for (float& x : input) x = dist(rng);
  writeFloats(dir + "/in_b8.bin", std::vector<float>(input.begin(), input.begin() + kCheckBatch * kWidth));
  std::FILE* out = std::fopen((dir + "/engine.jsonl").c_str(), "w");

  try {
    for (const auto& [precision, name] : kPrecisions) {
      auto backend = createBackend("cuda", 0);
      auto start = std::chrono::steady_clock::now();
      double tuneStartMs = 0, tuneEndMs = 0;  // the backend reports "autotuning" first, the core "done" after it
      const ProgressFn progress = [&](double, const std::string& stage) {
        if (stage == "autotuning") tuneStartMs = msSince(start);
        if (stage == "done") tuneEndMs = msSince(start);
      };
      const std::vector<uint8_t> bytes = buildBytes(net, precision, progress);
      const double buildMs = msSince(start);
      start = std::chrono::steady_clock::now();
      parsePlan(bytes.data(), bytes.size());
      const double parseMs = msSince(start);
      start = std::chrono::steady_clock::now();
      auto loaded = loadPlan(bytes.data(), bytes.size(), 0);
      const double loadMs = msSince(start);
      auto* engine = dynamic_cast<cuda::CudaEngine*>(loaded->engine.get());
      std::fprintf(out,
                   "{\"kind\":\"build\",\"precision\":\"%s\",\"build_ms\":%.1f,\"compile_ms\":%.1f,\"tune_ms\":%.1f,"
                   "\"serialize_ms\":%.1f,\"load_ms\":%.1f,\"parse_ms\":%.1f,\"plan_bytes\":%zu,\"tactics\":%s}\n",
                   name, buildMs, tuneStartMs, tuneEndMs - tuneStartMs, buildMs - tuneEndMs, loadMs, parseMs,
                   bytes.size(), backend->describeTactics(loaded->plan.tactics).c_str());
      const std::vector<uint8_t> layerBytes = buildBytes(firstLayer(net), precision, nullptr);
      auto layerPlan = loadPlan(layerBytes.data(), layerBytes.size(), 0);
      auto* layer = dynamic_cast<cuda::CudaEngine*>(layerPlan->engine.get());
      std::printf("%s: build %.0f ms (compile %.0f, tune %.0f, serialize %.0f), load %.0f ms (parse %.0f)\n", name,
                  buildMs, tuneStartMs, tuneEndMs - tuneStartMs, buildMs - tuneEndMs, loadMs, parseMs);
      for (int64_t batch : kBatches) {
        start = std::chrono::steady_clock::now();
        engine->run(batch, {input.data()}, {output.data()});  // first run at a batch captures its graph
        const double firstMs = msSince(start);
        if (batch == kCheckBatch)
          writeFloats(dir + "/out_" + name + "_b8.bin",
                      std::vector<float>(output.begin(), output.begin() + batch * kWidth));
        const float graphUs = median(bench::timeReplays(*engine, batch, 50)) * 1000;
        std::vector<double> runMs;
        for (int i = 0; i < 10; ++i) {
          start = std::chrono::steady_clock::now();
          engine->run(batch, {input.data()}, {output.data()});
          runMs.push_back(msSince(start));
        }
        float layerUs = 0;
        if (batch <= kLayerBatchMax) {
          layer->run(batch, {input.data()}, {output.data()});
          layerUs = median(bench::timeReplays(*layer, batch, 50)) * 1000;
        }
        std::fprintf(out,
                     "{\"kind\":\"engine\",\"precision\":\"%s\",\"batch\":%lld,\"graph_us\":%.2f,\"run_us\":%.1f,"
                     "\"first_run_ms\":%.2f,\"layer_us\":%.2f}\n",
                     name, static_cast<long long>(batch), graphUs, median(runMs) * 1000, firstMs, layerUs);
        std::printf("  batch %-5lld graph %9.1f us   run() %9.1f us   one layer %7.1f us\n", static_cast<long long>(batch),
                    graphUs, median(runMs) * 1000, layerUs);
      }
      std::fflush(out);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench failed: %s\n", e.what());
    return 1;
  }
  std::fclose(out);
  return 0;
}
