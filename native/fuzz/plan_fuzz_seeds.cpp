// Writes the plan fuzzer's seed corpus: real cpu plans of every op kind and precision, built
// here at run time (nothing binary is committed). Usage: plan_fuzz_seeds DIR
#include <cstdio>
#include <fstream>
#include <string>

#include "core/builder.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

// Every op kind after compilation: a Gemm with bias and activation (from a matmul, a bias sum
// and GELU), a folded constant, a product of two inputs, broadcast element-wise ops, a reshape,
// a dynamic batch.
NetworkSpec everyOp() {
  NetworkSpec net;
  net.inputs.push_back({"x", {kDynamic, 2, 3}});
  net.inputs.push_back({"y", {kDynamic, 3, 2}});
  LayerSpec w = makeLayer("w", LayerType::Constant);
  w.shape = {3, 4};
  w.values = {0.5f, -1, 2, 0.25f, 1, 1, -0.5f, 3, 0, 2, 1, -1};
  LayerSpec wt = makeLayer("wt", LayerType::Activation);
  wt.inputs = std::vector<std::string>{"w"};
  wt.kind = Activation::Tanh;
  LayerSpec xw = makeLayer("xw", LayerType::MatrixMultiply);
  xw.inputs = std::vector<std::string>{"x", "wt"};
  LayerSpec b = makeLayer("b", LayerType::Constant);
  b.shape = {4};
  b.values = {0.1f, -0.2f, 0.3f, 0};
  LayerSpec sum = makeLayer("sum", LayerType::ElementWise);
  sum.inputs = std::vector<std::string>{"xw", "b"};
  LayerSpec gelu = makeLayer("gelu", LayerType::Activation);
  gelu.kind = Activation::Gelu;
  LayerSpec xy = makeLayer("xy", LayerType::MatrixMultiply);
  xy.inputs = std::vector<std::string>{"x", "y"};
  LayerSpec mx = makeLayer("mx", LayerType::ElementWise);
  mx.inputs = std::vector<std::string>{"xy", "xy"};
  mx.op = BinaryOp::Max;
  LayerSpec flat = makeLayer("flat", LayerType::Reshape);
  flat.inputs = std::vector<std::string>{"mx"};
  flat.shape = {0, -1};
  LayerSpec leaky = makeLayer("leaky", LayerType::Activation);
  leaky.kind = Activation::LeakyRelu;
  leaky.alpha = 0.2f;
  net.layers = {w, wt, xw, b, sum, gelu, xy, mx, flat, leaky};
  net.outputs = std::vector<std::string>{"gelu", "leaky"};
  return net;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  auto backend = createBackend("cpu", 0);
  int written = 0;
  const auto write = [&](const NetworkSpec& net, Precision precision, int64_t min, int64_t max) {
    BuildConfig config;
    config.precision = precision;
    for (const InputSpec& in : net.inputs)
      if (in.shape[0] == kDynamic) {
        Dims lo = in.shape, hi = in.shape;
        lo[0] = min;
        hi[0] = max;
        config.profile[in.name] = {lo, lo, hi};
      }
    const std::vector<uint8_t> bytes = serializePlan(buildPlan(net, config, *backend, nullptr));
    std::ofstream(std::string(argv[1]) + "/plan" + std::to_string(written++) + ".bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  };
  write(seed::fullyConnected(), Precision::FP32, 1, 1);
  write(seed::matrixMultiply(-1), Precision::FP16, 1, 4);
  write(everyOp(), Precision::FP32, 1, 3);
  write(everyOp(), Precision::BF16, 2, 2);
  std::printf("%d seed plans in %s\n", written, argv[1]);
  return 0;
}
