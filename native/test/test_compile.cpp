// The builder's passes: the seed's two forms give the same program, constants fold, and
// matmul + bias + activation fuse into one Gemm.
#include <cstring>

#include "check.h"
#include "core/builder.h"
#include "core/weights.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

Program compile(const NetworkSpec& net, Precision precision = Precision::FP32, const BuildConfig& config = {}) {
  return compileProgram(net, validate(net, config), precision);
}

// Same ops with the same parameters and weights; value names and output shapes may differ.
bool sameOps(const Program& a, const Program& b) {
  if (a.ops.size() != b.ops.size() || a.weights.size() != b.weights.size()) return false;
  for (size_t i = 0; i < a.ops.size(); ++i) {
    const Op &x = a.ops[i], &y = b.ops[i];
    if (x.kind != y.kind || x.inputs != y.inputs || x.k != y.k || x.n != y.n || x.weight != y.weight ||
        x.bias != y.bias || x.activation != y.activation)
      return false;
  }
  for (size_t i = 0; i < a.weights.size(); ++i)
    if (a.weights[i].bytes != b.weights[i].bytes || a.weights[i].shape != b.weights[i].shape) return false;
  return true;
}

void seedFormsCompileToOneGemm() {
  const Program fc = compile(seed::fullyConnected());
  const Program mm = compile(seed::matrixMultiply());
  CHECK(fc.ops.size() == 1);
  CHECK(fc.ops[0].kind == Op::Kind::Gemm && fc.ops[0].k == 60 && fc.ops[0].n == 2 && fc.ops[0].bias >= 0);
  CHECK(sameOps(fc, mm));
  CHECK(fc.values[fc.outputs[0]].shape == (Dims{1, 2, 1, 1}));
  CHECK(mm.values[mm.outputs[0]].shape == (Dims{1, 2}));
  CHECK(mm.values[mm.ops[0].inputs[0]].name == "x");  // the reshape is gone: a Gemm reads flat rows
}

void matMulWithoutTransposeIsTransposedIntoGemmWeights() {
  NetworkSpec net;
  net.inputs.push_back({"x", {-1, 2}});
  LayerSpec w = makeLayer("w", LayerType::Constant);
  w.shape = {2, 3};
  w.values = {1, 2, 3, 4, 5, 6};  // [k=2, n=3]
  LayerSpec mm = makeLayer("mm", LayerType::MatrixMultiply);
  mm.inputs = std::vector<std::string>{"x", "w"};
  LayerSpec b = makeLayer("b", LayerType::Constant);
  b.shape = {3};
  b.values = {1, 1, 1};
  LayerSpec sub = makeLayer("sub", LayerType::ElementWise);
  sub.inputs = std::vector<std::string>{"mm", "b"};
  sub.op = BinaryOp::Sub;
  LayerSpec act = makeLayer("act", LayerType::Activation);
  act.kind = Activation::Gelu;
  net.layers = {w, mm, b, sub, act};
  BuildConfig config;
  config.profile["x"] = {{1, 2}, {2, 2}, {3, 2}};
  const Program p = compile(net, Precision::FP32, config);
  CHECK(p.ops.size() == 1);
  CHECK(p.ops[0].activation == Activation::Gelu);
  CHECK(widen(p.weights[p.ops[0].weight]) == (std::vector<float>{1, 4, 2, 5, 3, 6}));
  CHECK(widen(p.weights[p.ops[0].bias]) == (std::vector<float>{-1, -1, -1}));
}

void constantSubgraphsFold() {
  NetworkSpec net = seed::matrixMultiply();
  // W = relu(c) · 1 computed at build time; the network still runs one Gemm.
  LayerSpec c = makeLayer("c", LayerType::Constant);
  c.shape = {2, 60};
  c.values = seed::weights();
  LayerSpec relu = makeLayer("relu", LayerType::Activation);
  relu.inputs = std::vector<std::string>{"c"};
  net.layers[1] = c;
  net.layers.insert(net.layers.begin() + 2, relu);
  net.layers[3].inputs = std::vector<std::string>{"flat", "relu"};
  const Program p = compile(net);
  CHECK(p.ops.size() == 1 && p.ops[0].kind == Op::Kind::Gemm);
  const std::vector<float> w = widen(p.weights[p.ops[0].weight]);
  CHECK(w[0] == 1 && w[60] == 0);
}

void foldingThatOverflowsRefused() {
  NetworkSpec net = seed::matrixMultiply();
  net.layers[1].values[5] = 3e38f;
  LayerSpec square = makeLayer("square", LayerType::ElementWise);
  square.inputs = std::vector<std::string>{"w", "w"};
  square.op = BinaryOp::Prod;
  net.layers.insert(net.layers.begin() + 2, square);
  net.layers[3].inputs = std::vector<std::string>{"flat", "square"};
  CHECK_THROWS(Network, "layer 'square' computes a non-finite value from constants", compile(net));
}

void weightsStoredInBuildPrecision() {
  for (Precision precision : {Precision::FP32, Precision::TF32, Precision::FP16, Precision::BF16}) {
    const Program p = compile(seed::fullyConnected(), precision);
    const DType want = storageType(precision);
    for (const Weights& w : p.weights) {
      CHECK(w.dtype == want);
      CHECK(w.bytes.size() == static_cast<size_t>(w.shape[0] * (w.shape.size() > 1 ? w.shape[1] : 1)) * dtypeSize(want));
    }
    CHECK(widen(p.weights[p.ops[0].weight])[61] == -1.0f);
  }
}

void weightsBeyondFp16RangeRefused() {
  NetworkSpec net = seed::fullyConnected();
  net.layers[0].weights[3] = 70000.0f;
  CHECK_THROWS(Network, "the value 70000 in a (2, 60) weight tensor is outside the fp16 range",
               compile(net, Precision::FP16));
  CHECK(compile(net, Precision::BF16).ops.size() == 1);
}

void unfusableOpsStay() {
  NetworkSpec net;
  net.inputs.push_back({"a", {2, 3}});
  net.inputs.push_back({"b", {3, 4}});
  LayerSpec mm = makeLayer("mm", LayerType::MatrixMultiply);
  mm.inputs = std::vector<std::string>{"a", "b"};
  LayerSpec prod = makeLayer("prod", LayerType::ElementWise);
  prod.inputs = std::vector<std::string>{"mm", "mm"};
  prod.op = BinaryOp::Prod;
  LayerSpec r = makeLayer("r", LayerType::Reshape);
  r.shape = {8};
  net.layers = {mm, prod, r};
  const Program p = compile(net);
  CHECK(p.ops.size() == 3);
  CHECK(p.ops[0].kind == Op::Kind::MatMul && p.ops[1].kind == Op::Kind::Binary && p.ops[2].kind == Op::Kind::Alias);
}

}  // namespace

int main() {
  seedFormsCompileToOneGemm();
  matMulWithoutTransposeIsTransposedIntoGemmWeights();
  constantSubgraphsFold();
  foldingThatOverflowsRefused();
  weightsStoredInBuildPrecision();
  weightsBeyondFp16RangeRefused();
  unfusableOpsStay();
  TEST_MAIN_END();
}
