// The shapes-only run of the passes sizes a build exactly as the real passes do (plan weight
// bytes, folding cost), the limits refuse by name, and a cancel flag stops a build mid-fold.
#include <chrono>
#include <random>
#include <thread>

#include "check.h"
#include "core/build_cost.h"
#include "core/builder.h"
#include "core/lower.h"
#include "core/weights.h"
#include "cpu/cpu_backend.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

std::vector<float> randomValues(size_t count, float scale) {
  static std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-scale, scale);
  std::vector<float> v(count);
  for (float& x : v) x = u(rng);
  return v;
}

LayerSpec constant(const std::string& name, const Dims& shape) {
  LayerSpec c = makeLayer(name, LayerType::Constant);
  c.shape = shape;
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  c.values = randomValues(static_cast<size_t>(n), 1.0f / static_cast<float>(shape.back()));
  return c;
}

LayerSpec product(const std::string& name, const std::string& a, const std::string& b) {
  LayerSpec mm = makeLayer(name, LayerType::MatrixMultiply);
  mm.inputs = std::vector<std::string>{a, b};
  return mm;
}

// x[1, n] · C · C · … : every fused product stores its own copy of C.
NetworkSpec sharedConstant(int64_t n, int readers) {
  NetworkSpec net;
  net.inputs.push_back({"x", {1, n}});
  net.layers.push_back(constant("C", {n, n}));
  for (int i = 1; i <= readers; ++i)
    net.layers.push_back(product("y" + std::to_string(i), i == 1 ? "x" : "y" + std::to_string(i - 1), "C"));
  return net;
}

// x[1, n] · (C · C · … · C): `links` products of constants, folded on the host.
NetworkSpec constantChain(int64_t n, int links) {
  NetworkSpec net;
  net.inputs.push_back({"x", {1, n}});
  net.layers.push_back(constant("C", {n, n}));
  for (int i = 1; i <= links; ++i)
    net.layers.push_back(product("p" + std::to_string(i), i == 1 ? "C" : "p" + std::to_string(i - 1), "C"));
  net.layers.push_back(product("y", "x", "p" + std::to_string(links)));
  return net;
}

// Folded constants, a bias absorbed (sub of a broadcast row), an activation fused, a reshape.
NetworkSpec mixed() {
  NetworkSpec net = seed::matrixMultiply(-1);
  LayerSpec relu = makeLayer("relu", LayerType::Activation);
  relu.inputs = std::vector<std::string>{"w"};
  LayerSpec b2 = constant("b2", {1, 2});
  LayerSpec sum = makeLayer("bb", LayerType::ElementWise);
  sum.inputs = std::vector<std::string>{"b", "b2"};
  net.layers.insert(net.layers.begin() + 2, relu);
  net.layers[3].inputs = std::vector<std::string>{"flat", "relu"};
  net.layers.insert(net.layers.begin() + 5, b2);
  net.layers.insert(net.layers.begin() + 6, sum);
  net.layers.back().inputs = std::vector<std::string>{"mm", "bb"};
  net.layers.back().op = BinaryOp::Sub;
  LayerSpec gelu = makeLayer("gelu", LayerType::Activation);
  gelu.kind = Activation::Gelu;
  net.layers.push_back(gelu);
  return net;
}

BuildConfig profiled() {
  BuildConfig config;
  config.profile["x"] = {{1, 3, 4, 5}, {2, 3, 4, 5}, {4, 3, 4, 5}};
  return config;
}

void estimateMatchesTheRealPasses() {
  const std::vector<std::pair<NetworkSpec, BuildConfig>> cases = {
      {seed::fullyConnected(), {}}, {seed::matrixMultiply(), {}}, {mixed(), profiled()},
      {sharedConstant(16, 5), {}},  {constantChain(8, 3), {}}};
  for (const auto& [net, base] : cases)
    for (Precision precision : {Precision::FP32, Precision::FP16, Precision::BF16, Precision::FP8}) {
      BuildConfig config = base;
      config.precision = precision;
      config.backend = "cuda";  // fp8 is a cuda precision; validate needs no device
      const CheckedNetwork checked = validate(net, config);
      const BuildCost estimate = estimateBuildCost(net, checked, precision);
      Program dry = lowerNetwork(net, checked, precision, /*shapesOnly=*/true);
      FoldCost dryFold;
      optimizeProgram(dry, precision, nullptr, dryFold);
      CHECK(dry.shapesOnly);
      for (const Weights& w : dry.weights) CHECK(w.bytes.empty());
      Program real = lowerNetwork(net, checked, precision);
      FoldCost fold;
      optimizeProgram(real, precision, nullptr, fold);
      double bytes = 0;
      for (const Weights& w : real.weights) bytes += static_cast<double>(w.bytes.size());
      CHECK(estimate.planWeightBytes == bytes);
      CHECK(estimate.fold.flops == fold.flops);
      CHECK(estimate.fold.bytes == fold.bytes);
    }
}

void costsOfTheBombs() {
  const NetworkSpec shared = sharedConstant(64, 100);
  const BuildCost s = estimateBuildCost(shared, validate(shared, {}), Precision::FP32);
  CHECK(s.planWeightBytes == 100.0 * 64 * 64 * 4);  // a transposed copy per product; C itself is dropped
  CHECK(s.fold.flops == 0);
  const NetworkSpec chain = constantChain(32, 12);
  const BuildCost c = estimateBuildCost(chain, validate(chain, {}), Precision::FP16);
  CHECK(c.fold.flops == 12.0 * 2 * 32 * 32 * 32);
  CHECK(c.fold.bytes == 12.0 * 32 * 32 * 4);
  CHECK(c.planWeightBytes == 32.0 * 32 * 2);  // the last product's constant, transposed, in fp16
}

void validateRefusesOverALimitByName() {
  BuildConfig config;
  config.limits.planBytes = 4.0 * 64 * 64 * 4;
  CHECK(validate(sharedConstant(64, 4), config).outputs.size() == 1);
  CHECK_THROWS(Network, "(limits.planBytes)", validate(sharedConstant(64, 5), config));
  config = {};
  config.limits.foldFlops = 2.0 * 32 * 32 * 32;
  CHECK(validate(constantChain(32, 1), config).outputs.size() == 1);
  CHECK_THROWS(Network, "constant folding would compute 1.31e+05 operations, over the limit of 6.55e+04 (limits.foldFlops)",
               validate(constantChain(32, 2), config));
  config = {};
  config.limits.foldedBytes = 1;
  CHECK_THROWS(Network, "constant folding would make 4096 bytes (0.0 MiB) of constants, over the limit of 1 bytes",
               validate(constantChain(32, 1), config));
}

void cancelledBuildsStop() {
  CancelFlag flag;
  flag.set();
  BuildConfig config;
  config.cancel = &flag;
  auto backend = cpu::create(0);
  CHECK_THROWS(Cancelled, "the build was cancelled", buildPlan(seed::fullyConnected(), config, *backend, nullptr));
  const NetworkSpec one = constantChain(512, 1);
  CHECK_THROWS(Cancelled, "cancelled", compileProgram(one, validate(one, {}), Precision::FP32, &flag));

  // Mid-fold: the flag is read per folded row, so a cancel lands well within one product's time.
  const auto clock = [] { return std::chrono::steady_clock::now(); };
  auto start = clock();
  compileProgram(one, validate(one, {}), Precision::FP32);
  const auto oneProduct = clock() - start;
  const NetworkSpec chain = constantChain(512, 20);
  CancelFlag later;
  std::chrono::steady_clock::time_point setAt;
  std::thread canceller([&] {
    std::this_thread::sleep_for(oneProduct / 2);
    setAt = clock();
    later.set();
  });
  CHECK_THROWS(Cancelled, "cancelled", compileProgram(chain, validate(chain, {}), Precision::FP32, &later));
  const auto stopped = clock();
  canceller.join();
  CHECK(stopped - setAt < oneProduct / 2);
}

}  // namespace

int main() {
  estimateMatchesTheRealPasses();
  costsOfTheBombs();
  validateRefusesOverALimitByName();
  cancelledBuildsStop();
  TEST_MAIN_END();
}
