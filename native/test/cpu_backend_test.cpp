// The cpu backend against a float64 interpreter of the same program: every op kind, every
// activation, broadcasting, transposes, fp16/bf16 weights, dynamic batch, concurrent runs.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "core/error.h"
#include "core/half.h"
#include "cpu/cpu_backend.h"
#include "reference.h"

using namespace trtfarm;

namespace {

std::mt19937 rng(12345);

std::vector<float> randomData(size_t count) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(count);
  for (auto& x : v) x = dist(rng);
  return v;
}

size_t numel(const Dims& d, int64_t batch) {
  size_t n = 1;
  for (size_t i = 0; i < d.size(); ++i) n *= static_cast<size_t>(i == 0 && d[i] == kDynamic ? batch : d[i]);
  return n;
}

// Builds programs by hand, the way the core's builder lowers networks.
struct ProgramMaker {
  Program p;
  DType dtype = DType::F32;

  int32_t value(const Dims& shape, const std::string& name = "") {
    p.values.push_back({name.empty() ? "v" + std::to_string(p.values.size()) : name, shape, -1});
    return static_cast<int32_t>(p.values.size() - 1);
  }
  int32_t input(const Dims& shape) {
    const int32_t v = value(shape);
    p.inputs.push_back(v);
    return v;
  }
  int32_t weights(const Dims& shape, const std::vector<float>& data) {
    Weights w;
    w.dtype = dtype;
    w.shape = shape;
    for (float x : data) {
      if (dtype == DType::F32) {
        const uint8_t* b = reinterpret_cast<const uint8_t*>(&x);
        w.bytes.insert(w.bytes.end(), b, b + 4);
      } else {
        const uint16_t h = dtype == DType::F16 ? floatToHalf(x) : floatToBf16(x);
        w.bytes.push_back(static_cast<uint8_t>(h & 0xff));
        w.bytes.push_back(static_cast<uint8_t>(h >> 8));
      }
    }
    p.weights.push_back(std::move(w));
    return static_cast<int32_t>(p.weights.size() - 1);
  }
  int32_t constant(const Dims& shape, const std::vector<float>& data) {
    const int32_t v = value(shape);
    p.values[v].constant = weights(shape, data);
    return v;
  }
  int32_t gemm(int32_t in, const Dims& outShape, int64_t k, int64_t n, bool bias, Activation act = Activation::None,
               float alpha = 0.01f) {
    Op op;
    op.kind = Op::Kind::Gemm;
    op.inputs = {in};
    op.output = value(outShape);
    op.k = k;
    op.n = n;
    op.weight = weights({n, k}, randomData(static_cast<size_t>(n * k)));
    op.bias = bias ? weights({n}, randomData(static_cast<size_t>(n))) : -1;
    op.activation = act;
    op.alpha = alpha;
    p.ops.push_back(op);
    return op.output;
  }
  int32_t op(Op::Kind kind, std::vector<int32_t> inputs, const Dims& outShape, std::function<void(Op&)> set = nullptr) {
    Op op;
    op.kind = kind;
    op.inputs = std::move(inputs);
    op.output = value(outShape);
    if (set) set(op);
    p.ops.push_back(op);
    return op.output;
  }
  void output(int32_t v) { p.outputs.push_back(v); }
};

// ---- running the backend ----

std::unique_ptr<Engine> load(const Program& program) {
  Plan plan;
  plan.backend = "cpu";
  plan.program = program;
  return cpu::create(0)->load(plan);
}

std::vector<std::vector<float>> run(Engine& engine, const Program& p, int64_t batch,
                                    const std::vector<std::vector<float>>& inputs) {
  std::vector<std::vector<float>> outs;
  for (int32_t v : p.outputs) outs.emplace_back(numel(p.values[v].shape, batch), std::nanf(""));
  std::vector<const float*> in;
  std::vector<float*> out;
  for (const auto& x : inputs) in.push_back(x.data());
  for (auto& y : outs) out.push_back(y.data());
  engine.run(batch, in, out);
  return outs;
}

std::vector<std::vector<float>> randomInputs(const Program& p, int64_t batch) {
  std::vector<std::vector<float>> inputs;
  for (int32_t v : p.inputs) inputs.push_back(randomData(numel(p.values[v].shape, batch)));
  return inputs;
}

// fp32 tolerance, relative to the output's magnitude.
// Reports the first element out of tolerance, if any.
void expectClose(const std::vector<std::vector<float>>& got, const std::vector<std::vector<double>>& want,
                 const std::string& what) {
  CHECK(got.size() == want.size());
  for (size_t o = 0; o < got.size() && o < want.size(); ++o) {
    CHECK(got[o].size() == want[o].size());
    double scale = 1.0;
    for (double x : want[o]) scale = std::max(scale, std::fabs(x));
    for (size_t i = 0; i < got[o].size() && i < want[o].size(); ++i) {
      if (std::fabs(got[o][i] - want[o][i]) <= 1e-5 * scale) continue;
      check::fail(__FILE__, __LINE__, what + ": output " + std::to_string(o) + "[" + std::to_string(i) + "] = " +
                                          std::to_string(got[o][i]) + ", want " + std::to_string(want[o][i]));
      return;
    }
  }
}

void checkAgainstReference(const Program& p, std::initializer_list<int64_t> batches, const std::string& what) {
  auto engine = load(p);
  for (int64_t batch : batches) {
    const auto inputs = randomInputs(p, batch);
    expectClose(run(*engine, p, batch, inputs), reference::run(p, batch, inputs), what + " at batch " + std::to_string(batch));
  }
}

const Activation kActivations[] = {Activation::None, Activation::Relu, Activation::Sigmoid,
                                   Activation::Tanh, Activation::Gelu, Activation::LeakyRelu};

// ---- tests ----

void gemmMatchesReferenceForEveryShapeAndActivation() {
  for (int64_t k : {1, 7, 130, 300})
    for (int64_t n : {1, 33, 64, 100})
      for (Activation act : kActivations)
        for (bool bias : {false, true}) {
          ProgramMaker m;
          const int32_t x = m.input({kDynamic, k});
          m.output(m.gemm(x, {kDynamic, n}, k, n, bias, act, 0.2f));
          checkAgainstReference(m.p, {1, 5, 13, 37},
                                "gemm k=" + std::to_string(k) + " n=" + std::to_string(n) + " act=" +
                                    std::to_string(static_cast<int>(act)) + (bias ? " bias" : ""));
        }
}

void seedFullyConnectedGivesPlusMinus1770() {
  ProgramMaker m;
  const int32_t x = m.input({1, 3, 4, 5});
  Op op;
  op.kind = Op::Kind::Gemm;
  op.inputs = {x};
  op.output = m.value({1, 2, 1, 1});
  op.k = 60;
  op.n = 2;
  std::vector<float> w(120, 1.0f);
  std::fill(w.begin() + 60, w.end(), -1.0f);
  op.weight = m.weights({2, 60}, w);
  op.bias = m.weights({2}, {0.0f, 0.0f});
  m.p.ops.push_back(op);
  m.output(op.output);
  std::vector<float> input(60);
  for (int i = 0; i < 60; ++i) input[i] = static_cast<float>(i);
  const auto out = run(*load(m.p), m.p, 1, {input});
  CHECK(out[0].size() == 2 && out[0][0] == 1770.0f && out[0][1] == -1770.0f);
}

void largeGemmAcrossThreadsMatchesReference() {
  ProgramMaker m;
  const int32_t x = m.input({kDynamic, 1024});
  const int32_t h = m.gemm(x, {kDynamic, 1000}, 1024, 1000, true, Activation::Relu);
  m.output(m.gemm(h, {kDynamic, 77}, 1000, 77, true, Activation::Gelu));
  checkAgainstReference(m.p, {1, 16, 100}, "two large layers");
}

void matmulHandlesTransposesBroadcastAndVectors() {
  struct Case {
    Dims a, b, out;
    bool ta, tb;
  };
  const Case cases[] = {
      {{kDynamic, 4, 6}, {6, 5}, {kDynamic, 4, 5}, false, false},
      {{kDynamic, 6, 4}, {6, 5}, {kDynamic, 4, 5}, true, false},
      {{kDynamic, 4, 6}, {5, 6}, {kDynamic, 4, 5}, false, true},
      {{kDynamic, 6, 4}, {5, 6}, {kDynamic, 4, 5}, true, true},
      {{kDynamic, 1, 3, 40}, {2, 40, 70}, {kDynamic, 2, 3, 70}, false, false},  // both sides broadcast
      {{kDynamic, 60}, {2, 60}, {kDynamic, 2}, false, true},                    // the seed's matmul form
      {{kDynamic, 3, 7}, {7}, {kDynamic, 3}, false, false},                     // b is a vector
      {{7}, {kDynamic, 7, 3}, {kDynamic, 3}, false, false},                     // a is a vector
      {{kDynamic, 2, 64, 40}, {40, 64}, {kDynamic, 2, 64, 64}, false, false},   // matrices large enough for a parallel gemm each
  };
  for (const Case& c : cases)
    for (bool constantB : {false, true}) {
      ProgramMaker m;
      const bool aDynamic = c.a[0] == kDynamic;
      const int32_t a = aDynamic ? m.input(c.a) : m.constant(c.a, randomData(numel(c.a, 1)));
      const int32_t b = constantB && aDynamic ? m.constant(c.b, randomData(numel(c.b, 1))) : m.input(c.b);
      m.output(m.op(Op::Kind::MatMul, {a, b}, c.out, [&](Op& op) {
        op.transposeA = c.ta;
        op.transposeB = c.tb;
      }));
      checkAgainstReference(m.p, {1, 3}, "matmul " + std::to_string(&c - cases));
    }
}

void binaryBroadcastsEveryOp() {
  const BinaryOp ops[] = {BinaryOp::Sum, BinaryOp::Prod, BinaryOp::Sub, BinaryOp::Max, BinaryOp::Min};
  struct Case {
    Dims a, b, out;
  };
  const Case cases[] = {
      {{kDynamic, 3, 5}, {kDynamic, 3, 5}, {kDynamic, 3, 5}},
      {{kDynamic, 3, 5}, {5}, {kDynamic, 3, 5}},
      {{kDynamic, 3, 1}, {1, 5}, {kDynamic, 3, 5}},
      {{1}, {kDynamic, 4}, {kDynamic, 4}},
      {{kDynamic, 1, 4, 1}, {3, 1, 2}, {kDynamic, 3, 4, 2}},
  };
  for (BinaryOp bop : ops)
    for (const Case& c : cases) {
      ProgramMaker m;
      const int32_t a = c.a[0] == kDynamic ? m.input(c.a) : m.constant(c.a, randomData(numel(c.a, 1)));
      const int32_t b = c.b[0] == kDynamic ? m.input(c.b) : m.constant(c.b, randomData(numel(c.b, 1)));
      m.output(m.op(Op::Kind::Binary, {a, b}, c.out, [&](Op& op) { op.binary = bop; }));
      checkAgainstReference(m.p, {1, 4}, "binary op " + std::to_string(static_cast<int>(bop)) + " case " +
                                             std::to_string(&c - cases));
    }
}

// Outputs large enough to be split across threads, with task boundaries inside broadcast dims.
void largeElementWiseOpsSplitAcrossThreads() {
  for (BinaryOp bop : {BinaryOp::Sum, BinaryOp::Max}) {
    ProgramMaker m;
    const int32_t a = m.input({kDynamic, 1, 50, 1});
    const int32_t b = m.constant({3, 1, 700}, randomData(3 * 700));
    m.output(m.op(Op::Kind::Binary, {a, b}, {kDynamic, 3, 50, 700}, [&](Op& op) { op.binary = bop; }));
    checkAgainstReference(m.p, {1, 4}, "large binary " + std::to_string(static_cast<int>(bop)));
  }
  ProgramMaker m;
  const int32_t x = m.input({kDynamic, 100003});
  m.output(m.op(Op::Kind::Unary, {x}, {kDynamic, 100003}, [](Op& op) { op.activation = Activation::Gelu; }));
  checkAgainstReference(m.p, {1, 3}, "large unary");
}

void unaryAppliesEveryActivation() {
  for (Activation act : kActivations) {
    ProgramMaker m;
    const int32_t x = m.input({kDynamic, 3, 37});
    m.output(m.op(Op::Kind::Unary, {x}, {kDynamic, 3, 37}, [&](Op& op) {
      op.activation = act;
      op.alpha = 0.3f;
    }));
    checkAgainstReference(m.p, {1, 2}, "unary " + std::to_string(static_cast<int>(act)));
  }
}

// The vectorized sigmoid, tanh and gelu element by element over a wide range, relative to each
// value however small (the tails of sigmoid and gelu included), and NaN kept NaN.
void activationsAreAccurateOverAWideRange() {
  std::vector<float> x;
  for (int i = -4000; i <= 4000; ++i) x.push_back(i * 0.01f);
  for (float v : {0.0f, 1e-20f, -1e-20f, 1e-5f, -1e-5f, 0.6249f, 0.6251f, -0.6251f, 1e-3f}) x.push_back(v);
  x.push_back(std::nanf(""));
  for (Activation act : {Activation::Sigmoid, Activation::Tanh, Activation::Gelu}) {
    ProgramMaker m;
    const Dims shape{static_cast<int64_t>(x.size())};
    const int32_t in = m.input(shape);
    m.output(m.op(Op::Kind::Unary, {in}, shape, [&](Op& op) { op.activation = act; }));
    const auto got = run(*load(m.p), m.p, 1, {x})[0];
    double worst = 0;
    for (size_t i = 0; i + 1 < x.size(); ++i) {
      const double want = reference::activate(x[i], act, 0);
      const double err = std::fabs(got[i] - want);
      if (err > 1e-30) worst = std::max(worst, err / std::fabs(want));
    }
    std::printf("     activation %d: worst relative error %.2e\n", static_cast<int>(act), worst);
    CHECK(worst < 1e-6);
    CHECK(std::isnan(got.back()));
  }
}

// Reshapes alias their input: outputs that are aliases of inputs and of intermediates, an
// intermediate read again after later layers (its buffer must not be reused too early).
void aliasesAndLongLivedValuesKeepTheirData() {
  ProgramMaker m;
  const int32_t x = m.input({kDynamic, 3, 4, 5});
  const int32_t flat = m.op(Op::Kind::Alias, {x}, {kDynamic, 60});
  const int32_t h1 = m.gemm(flat, {kDynamic, 40}, 60, 40, true, Activation::Tanh);
  const int32_t h2 = m.gemm(h1, {kDynamic, 40}, 40, 40, true, Activation::Relu);
  const int32_t h3 = m.gemm(h2, {kDynamic, 40}, 40, 40, false);
  const int32_t sum = m.op(Op::Kind::Binary, {h1, h3}, {kDynamic, 40}, [](Op& op) { op.binary = BinaryOp::Sum; });
  const int32_t shaped = m.op(Op::Kind::Alias, {sum}, {kDynamic, 4, 10});
  const int32_t act = m.op(Op::Kind::Unary, {shaped}, {kDynamic, 4, 10}, [](Op& op) { op.activation = Activation::Sigmoid; });
  m.output(act);
  m.output(shaped);
  m.output(flat);
  checkAgainstReference(m.p, {1, 2, 9}, "alias chain");
}

void reducedPrecisionWeightsAreWidened() {
  for (DType dtype : {DType::F16, DType::BF16}) {
    ProgramMaker m;
    m.dtype = dtype;
    const int32_t x = m.input({kDynamic, 200});
    const int32_t h = m.gemm(x, {kDynamic, 50}, 200, 50, true, Activation::Gelu);
    const int32_t c = m.constant({50}, randomData(50));
    m.output(m.op(Op::Kind::Binary, {h, c}, {kDynamic, 50}, [](Op& op) { op.binary = BinaryOp::Prod; }));
    checkAgainstReference(m.p, {1, 7}, dtype == DType::F16 ? "fp16 weights" : "bf16 weights");
  }
}

// Each output element sums in the same order whatever the batch, the row's position in it, or
// the thread that computed it: a row gives the same bits alone and inside a large batch.
void resultsAreDeterministicAcrossBatchesAndConcurrentRuns() {
  ProgramMaker m;
  const int32_t x = m.input({kDynamic, 512});
  const int32_t h = m.gemm(x, {kDynamic, 300}, 512, 300, true, Activation::Relu);
  m.output(m.gemm(h, {kDynamic, 10}, 300, 10, true));
  auto engine = load(m.p);
  const int64_t batch = 50;
  const auto inputs = randomInputs(m.p, batch);
  const auto whole = run(*engine, m.p, batch, inputs);
  for (int64_t row : {0, 13, 49}) {
    const std::vector<float> one(inputs[0].begin() + row * 512, inputs[0].begin() + (row + 1) * 512);
    const auto alone = run(*engine, m.p, 1, {one});
    CHECK(std::memcmp(alone[0].data(), whole[0].data() + row * 10, 10 * sizeof(float)) == 0);
  }
  std::vector<std::thread> threads;
  std::vector<int> same(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const auto again = run(*engine, m.p, batch, inputs);
        same[t] += std::memcmp(again[0].data(), whole[0].data(), whole[0].size() * sizeof(float)) == 0;
      }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) CHECK(same[t] == 20);
}

void backendDescribesItselfAndRefusesOtherDevices() {
  const BackendStatus s = cpu::status();
  CHECK(s.name == "cpu" && s.compiled && s.available);
  CHECK(s.devices.size() == 1 && !s.devices[0].name.empty() && s.devices[0].memoryBytes > 0);
  CHECK(s.version.rfind("trtfarm-cpu 1 (", 0) == 0);
  auto backend = cpu::create(0);
  CHECK(backend->name() == "cpu" && backend->compatKey() == "cpu:1");
  CHECK(backend->tune(Program{}, BuildConfig{}, BatchRange{}, nullptr).empty());  // cpu plans record no tactics
  const std::string tactics = backend->describeTactics({});
  CHECK(tactics.front() == '{' && tactics.back() == '}');
  CHECK_THROWS(Backend, "not 1", cpu::create(1));
}

void test(const char* name, void (*fn)()) {
  const int before = check::failures();
  fn();
  std::printf("%s %s\n", check::failures() == before ? "ok  " : "FAIL", name);
}

}  // namespace

int main() {
  test("gemm matches the reference for every shape and activation", gemmMatchesReferenceForEveryShapeAndActivation);
  test("the seed's fully connected layer gives [1770, -1770]", seedFullyConnectedGivesPlusMinus1770);
  test("large gemms across threads match the reference", largeGemmAcrossThreadsMatchesReference);
  test("matmul handles transposes, broadcast and vectors", matmulHandlesTransposesBroadcastAndVectors);
  test("binary ops broadcast", binaryBroadcastsEveryOp);
  test("unary applies every activation", unaryAppliesEveryActivation);
  test("large element-wise ops split across threads", largeElementWiseOpsSplitAcrossThreads);
  test("activations are accurate over a wide range", activationsAreAccurateOverAWideRange);
  test("aliases and long-lived values keep their data", aliasesAndLongLivedValuesKeepTheirData);
  test("fp16 and bf16 weights are widened", reducedPrecisionWeightsAreWidened);
  test("results are deterministic across batches and concurrent runs", resultsAreDeterministicAcrossBatchesAndConcurrentRuns);
  test("the backend describes itself and refuses other devices", backendDescribesItselfAndRefusesOtherDevices);
  TEST_MAIN_END();
}
