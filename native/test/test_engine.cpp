// End to end through the registry and the cpu backend: build → plan bytes → load → run.
#include <cmath>

#include "check.h"
#include "core/builder.h"
#include "registry/runtime.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

std::vector<uint8_t> build(const NetworkSpec& net, const BuildConfig& config) {
  auto backend = createBackend(config.backend, config.device);
  return serializePlan(buildPlan(net, config, *backend, nullptr));
}

std::vector<float> run(const std::vector<uint8_t>& bytes, int64_t batch, const std::vector<float>& input) {
  auto loaded = loadPlan(bytes.data(), bytes.size(), 0);
  const Dims out = loaded->plan.outputs[0].shape;
  int64_t n = batch;
  for (size_t i = 1; i < out.size(); ++i) n *= out[i];
  std::vector<float> result(n);
  loaded->engine->run(batch, {input.data()}, {result.data()});
  return result;
}

BuildConfig dynamicConfig(Precision precision) {
  BuildConfig config;
  config.precision = precision;
  config.profile["x"] = {{1, 3, 4, 5}, {2, 3, 4, 5}, {4, 3, 4, 5}};
  return config;
}

void seedGoldenBothForms() {
  for (const NetworkSpec& net : {seed::fullyConnected(), seed::matrixMultiply()}) {
    const std::vector<float> y = run(build(net, {}), 1, seed::input());
    CHECK(y.size() == 2 && y[0] == 1770.0f && y[1] == -1770.0f);
  }
}

void seedAtEveryPrecisionAndBatch() {
  for (Precision p : {Precision::FP32, Precision::TF32, Precision::FP16, Precision::BF16}) {
    const std::vector<uint8_t> plan = build(seed::matrixMultiply(-1), dynamicConfig(p));
    for (int64_t batch : {1, 3, 4}) {
      std::vector<float> x;
      for (int64_t b = 0; b < batch; ++b)
        for (float v : seed::input()) x.push_back(v * static_cast<float>(b + 1));
      const std::vector<float> y = run(plan, batch, x);
      for (int64_t b = 0; b < batch; ++b) {
        const double want = 1770.0 * (b + 1);
        CHECK(std::fabs(y[2 * b] - want) <= 1e-2 * want && std::fabs(y[2 * b + 1] + want) <= 1e-2 * want);
      }
    }
  }
}

void cpuPlansAreDeterministic() {
  CHECK(build(seed::matrixMultiply(-1), dynamicConfig(Precision::FP16)) ==
        build(seed::matrixMultiply(-1), dynamicConfig(Precision::FP16)));
}

void foreignPlansRefused() {
  Plan plan = parsePlan(build(seed::fullyConnected(), {}).data(), build(seed::fullyConnected(), {}).size());
  plan.compatKey = "cpu:some-other-machine";
  std::vector<uint8_t> bytes = serializePlan(plan);
  CHECK_THROWS(Compat, "the plan was built for 'cpu:some-other-machine' but this machine's cpu backend is",
               loadPlan(bytes.data(), bytes.size(), 0));
  plan.backend = "warp-drive";
  bytes = serializePlan(plan);
  CHECK_THROWS(Compat, "the plan needs backend 'warp-drive', which this build does not know",
               loadPlan(bytes.data(), bytes.size(), 0));
  for (const BackendStatus& s : listBackends()) {
    if (s.available) continue;
    plan.backend = s.name;
    bytes = serializePlan(plan);
    CHECK_THROWS(Compat, "which is not available here: " + s.reason, loadPlan(bytes.data(), bytes.size(), 0));
  }
}

void registryListsEveryBackend() {
  const std::vector<BackendStatus> all = listBackends();
  CHECK(all.size() == 3 && all[0].name == "cpu" && all[0].available);
  CHECK(all[1].name == "cuda" && all[2].name == "tensorrt");
  for (const BackendStatus& s : all) CHECK(s.available || !s.reason.empty());
  CHECK_THROWS(Backend, "unknown backend 'nope'", createBackend("nope", 0));
}

}  // namespace

int main() {
  seedGoldenBothForms();
  seedAtEveryPrecisionAndBatch();
  cpuPlansAreDeterministic();
  foreignPlansRefused();
  registryListsEveryBackend();
  TEST_MAIN_END();
}
