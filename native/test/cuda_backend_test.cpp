// The cuda backend end to end on a real GPU (build → plan bytes → load → run), against a float64
// interpreter of the very program the plan holds: the seed golden, networks of every layer kind
// at every precision and several batches, each tactic kind forced, tactic reuse, the timing
// cache, cancellation, plan round trip, and plans for another GPU refused. Exits 77 (skipped)
// where no GPU is visible.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "core/builder.h"
#include "core/cancel.h"
#include "core/half.h"
#include "cuda/kernels.h"
#include "cuda/tactics.h"
#include "registry/runtime.h"
#include "reference.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

const Precision kPrecisions[] = {Precision::FP32, Precision::TF32, Precision::FP16, Precision::BF16, Precision::FP8};

const char* precisionName(Precision p) {
  switch (p) {
    case Precision::FP32: return "fp32";
    case Precision::TF32: return "tf32";
    case Precision::FP16: return "fp16";
    case Precision::BF16: return "bf16";
    case Precision::FP8: return "fp8";
  }
  return "?";
}

// Relative error ‖out − ref‖ / ‖ref‖ allowed per precision.
double tolerance(Precision p) {
  switch (p) {
    case Precision::FP32: return 1e-5;
    case Precision::TF32: return 1e-3;
    case Precision::FP8: return 3e-2;  // against float64 on the e4m3 weights: the activations' e4m3 rounding
    default: return 1e-2;
  }
}

std::mt19937 rng(20261125);

std::vector<float> randomData(size_t count, float scale = 1.0f) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(count);
  for (auto& x : v) x = dist(rng);
  return v;
}

Dims at(Dims d, int64_t batch) {
  if (!d.empty() && d[0] == kDynamic) d[0] = batch;
  return d;
}

size_t numel(const Dims& d) {
  size_t n = 1;
  for (int64_t x : d) n *= static_cast<size_t>(x);
  return n;
}

double relativeError(const std::vector<float>& got, const std::vector<double>& want) {
  double diff = 0, norm = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (!std::isfinite(got[i])) return INFINITY;
    diff += (got[i] - want[i]) * (got[i] - want[i]);
    norm += want[i] * want[i];
  }
  return std::sqrt(diff / std::max(norm, 1e-300));
}

// ---- build, load, run ----

BuildConfig config(Precision precision, const NetworkSpec& net, int64_t min, int64_t opt, int64_t max) {
  BuildConfig c;
  c.backend = "cuda";
  c.precision = precision;
  for (const InputSpec& in : net.inputs) {
    if (in.shape[0] != kDynamic) continue;
    Dims lo = in.shape, mid = in.shape, hi = in.shape;
    lo[0] = min;
    mid[0] = opt;
    hi[0] = max;
    c.profile[in.name] = {lo, mid, hi};
  }
  return c;
}

std::vector<uint8_t> build(const NetworkSpec& net, const BuildConfig& c) {
  auto backend = createBackend("cuda", 0);
  return serializePlan(buildPlan(net, c, *backend, nullptr));
}

std::vector<std::vector<float>> runPlan(LoadedPlan& loaded, int64_t batch,
                                        const std::vector<std::vector<float>>& inputs) {
  std::vector<std::vector<float>> outs;
  std::vector<const float*> in;
  std::vector<float*> out;
  for (const auto& x : inputs) in.push_back(x.data());
  for (const TensorDesc& d : loaded.plan.outputs) outs.emplace_back(numel(at(d.shape, batch)), NAN);
  for (auto& o : outs) out.push_back(o.data());
  loaded.engine->run(batch, in, out);
  return outs;
}

std::vector<std::vector<float>> randomInputs(const Plan& plan, int64_t batch) {
  std::vector<std::vector<float>> inputs;
  for (const TensorDesc& d : plan.inputs) inputs.push_back(randomData(numel(at(d.shape, batch))));
  return inputs;
}

// Runs `bytes` at each batch on fresh random inputs and compares every output with float64.
void checkAgainstFloat64(const std::vector<uint8_t>& bytes, Precision precision, const std::vector<int64_t>& batches,
                         const std::string& what) {
  auto loaded = loadPlan(bytes.data(), bytes.size(), 0);
  for (int64_t batch : batches) {
    const auto inputs = randomInputs(loaded->plan, batch);
    const auto got = runPlan(*loaded, batch, inputs);
    const auto want = reference::run(loaded->plan.program, batch, inputs);
    for (size_t o = 0; o < got.size(); ++o) {
      const double err = relativeError(got[o], want[o]);
      std::printf("  %-28s %s batch %-4lld output %zu: relative error %.2e\n", what.c_str(), precisionName(precision),
                  static_cast<long long>(batch), o, err);
      CHECK(err <= tolerance(precision));
    }
  }
}

LayerSpec fc(const std::string& name, int64_t k, int64_t n, bool bias, std::vector<std::string> inputs = {}) {
  LayerSpec l = makeLayer(name, LayerType::FullyConnected);
  l.outputs = n;
  const float scale = 1.0f / std::sqrt(static_cast<float>(k));
  l.weights = randomData(static_cast<size_t>(k * n), scale);
  if (bias) l.bias = randomData(static_cast<size_t>(n), 0.5f);
  if (!inputs.empty()) l.inputs = inputs;
  return l;
}

LayerSpec activation(const std::string& name, Activation kind, float alpha = 0.01f) {
  LayerSpec l = makeLayer(name, LayerType::Activation);
  l.kind = kind;
  l.alpha = alpha;
  return l;
}

LayerSpec constant(const std::string& name, const Dims& shape) {
  LayerSpec l = makeLayer(name, LayerType::Constant);
  l.shape = shape;
  l.values = randomData(numel(shape));
  return l;
}

LayerSpec binary(const std::string& name, BinaryOp op, const std::string& a, const std::string& b) {
  LayerSpec l = makeLayer(name, LayerType::ElementWise);
  l.op = op;
  l.inputs = std::vector<std::string>{a, b};
  return l;
}

LayerSpec matmul(const std::string& name, const std::string& a, const std::string& b, bool ta = false,
                 bool tb = false) {
  LayerSpec l = makeLayer(name, LayerType::MatrixMultiply);
  l.inputs = std::vector<std::string>{a, b};
  l.transposeA = ta;
  l.transposeB = tb;
  return l;
}

LayerSpec reshape(const std::string& name, const Dims& shape, const std::string& input) {
  LayerSpec l = makeLayer(name, LayerType::Reshape);
  l.shape = shape;
  l.inputs = std::vector<std::string>{input};
  return l;
}

// Every activation after an FC (fused into the product or not), FC without bias, reshape,
// a constant matrix product, broadcasting element-wise ops, and two outputs.
NetworkSpec fcStack() {
  NetworkSpec net;
  net.inputs.push_back({"x", {kDynamic, 4, 6}});
  net.layers = {fc("fc1", 24, 48, true), activation("relu", Activation::Relu),
                fc("fc2", 48, 40, true), activation("gelu", Activation::Gelu),
                fc("fc3", 40, 32, false), activation("sigmoid", Activation::Sigmoid),
                fc("fc4", 32, 32, true), activation("tanh", Activation::Tanh),
                fc("fc5", 32, 16, true), activation("leaky", Activation::LeakyRelu, 0.1f),
                reshape("grid", {0, 4, 4}, "leaky"), constant("c", {4, 8}), matmul("mm", "grid", "c"),
                constant("scale", {1, 8}), binary("scaled", BinaryOp::Prod, "mm", "scale"),
                activation("squash", Activation::Tanh), binary("mixed", BinaryOp::Sum, "squash", "scaled")};
  net.outputs = std::vector<std::string>{"mixed", "fc3"};
  return net;
}

// Products of two dynamic tensors (strided batch), mixed broadcasting (one product per
// matrix), transposes, and max/min/sum between inputs.
NetworkSpec matrixOps() {
  NetworkSpec net;
  net.inputs.push_back({"a", {kDynamic, 3, 4, 6}});
  net.inputs.push_back({"b", {kDynamic, 3, 6, 5}});
  net.inputs.push_back({"e", {kDynamic, 1, 4, 6}});
  net.layers = {matmul("ab", "a", "b"),
                constant("w", {1, 3, 5, 6}),
                matmul("ew", "e", "w", false, true),
                binary("sum", BinaryOp::Sum, "ab", "ew"),
                matmul("ta", "a", "a", true, false),
                binary("hi", BinaryOp::Max, "a", "e"),
                binary("lo", BinaryOp::Min, "hi", "a")};
  net.outputs = std::vector<std::string>{"sum", "ta", "lo"};
  return net;
}

// Wide enough for both the GEMV kernel and cuBLASLt to be timed.
NetworkSpec wideMlp() {
  NetworkSpec net;
  net.inputs.push_back({"x", {kDynamic, 512}});
  net.layers = {fc("l1", 512, 768, true), activation("r1", Activation::Relu), fc("l2", 768, 512, true),
                activation("g2", Activation::Gelu), fc("l3", 512, 256, true)};
  return net;
}

// ---- the tests ----

void seedGoldenEveryPrecision() {
  for (Precision p : kPrecisions)
    if (p != Precision::FP8)  // fp8 keeps the seed's 2-wide layers in fp16: networksMatchFloat64 covers it
    for (const NetworkSpec& net : {seed::fullyConnected(), seed::matrixMultiply()}) {
      BuildConfig c;
      c.backend = "cuda";
      c.precision = p;
      const auto bytes = build(net, c);
      auto loaded = loadPlan(bytes.data(), bytes.size(), 0);
      const auto y = runPlan(*loaded, 1, {seed::input()})[0];
      std::printf("  seed %s: [%g, %g]\n", precisionName(p), y[0], y[1]);
      // bf16 stores 1770 as 1768 (8 significant bits); the others hold it exactly.
      const float want = p == Precision::BF16 ? 1768.0f : 1770.0f;
      CHECK(y.size() == 2 && y[0] == want && y[1] == -want);
    }
}

void networksMatchFloat64() {
  for (Precision p : kPrecisions) {
    checkAgainstFloat64(build(fcStack(), config(p, fcStack(), 1, 8, 64)), p, {1, 3, 8, 17, 64}, "fc stack");
    checkAgainstFloat64(build(matrixOps(), config(p, matrixOps(), 1, 2, 9)), p, {1, 2, 9}, "matrix ops");
    checkAgainstFloat64(build(wideMlp(), config(p, wideMlp(), 1, 16, 300)), p, {1, 2, 5, 16, 77, 300}, "wide mlp");
  }
}

// The plan with every FC op's tactics rewritten by `set` (the tactics of one op, per bucket).
std::vector<uint8_t> withTactics(const std::vector<uint8_t>& bytes,
                                 const std::function<void(std::vector<cuda::Tactic>&)>& set) {
  Plan plan = parsePlan(bytes.data(), bytes.size());
  cuda::TacticTable table = cuda::TacticTable::parse(plan.tactics);
  for (cuda::GemmTactics& g : table.gemms) set(g.tactics);
  plan.tactics = table.serialize();
  return serializePlan(plan);
}

// Each tactic kind on every op, whatever the timing chose: all must compute the same function.
void everyTacticKindMatchesFloat64() {
  for (Precision p : kPrecisions) {
    const auto bytes = build(wideMlp(), config(p, wideMlp(), 1, 4, 256));
    for (int variant = 0; variant < cuda::kGemvVariants; ++variant) {
      if (!cuda::gemvSupports(DType::F32, variant, 1, 512)) continue;
      checkAgainstFloat64(withTactics(bytes,
                                      [&](std::vector<cuda::Tactic>& ts) {
                                        for (auto& t : ts) {
                                          t.kind = cuda::TacticKind::Gemv;
                                          t.variant = static_cast<uint8_t>(variant);
                                        }
                                      }),
                          p, {1, 3, 16},
                          "gemv ×" + std::to_string(cuda::gemvFeaturesPerWarp(variant)) +
                              (cuda::gemvStagesX(variant) ? " shared x" : "") + (cuda::gemvDeep(variant) ? " deep" : ""));
    }
    checkAgainstFloat64(withTactics(bytes,
                                    [](std::vector<cuda::Tactic>& ts) {
                                      for (auto& t : ts) t.kind = cuda::TacticKind::LtDefault;
                                    }),
                        p, {1, 3, 16, 200}, "cublasLt heuristic");
    if (p == Precision::FP8) {
      // Both cuBLASLt forms of an fp8 layer, with the algorithm cuBLASLt's heuristic gives at load;
      // the fp8 product only where the tuner chose it for some batch (so it runs on this cuBLASLt and card).
      const cuda::TacticTable tuned = cuda::TacticTable::parse(parsePlan(bytes.data(), bytes.size()).tactics);
      bool fp8Ran = false;
      for (const auto& g : tuned.gemms)
        for (const auto& t : g.tactics) fp8Ran = fp8Ran || t.kind == cuda::TacticKind::Lt;
      if (!fp8Ran) std::printf("  cublasLt fp8: the tuner chose no fp8 kernel here; only the dequantized form is forced\n");
      for (const auto kind : {cuda::TacticKind::Lt, cuda::TacticKind::LtDequantized}) {
        if (kind == cuda::TacticKind::Lt && !fp8Ran) continue;
        checkAgainstFloat64(withTactics(bytes,
                                        [&](std::vector<cuda::Tactic>& ts) {
                                          for (auto& t : ts) t = cuda::Tactic{kind};
                                        }),
                            p, {1, 3, 16, 200},
                            kind == cuda::TacticKind::Lt ? "cublasLt fp8" : "cublasLt fp16 dequantized");
      }
    }
    // The algorithm timed at the largest batch, stored for every batch: where it cannot run a
    // shape the engine falls back to cuBLASLt's heuristic, never to a wrong result.
    checkAgainstFloat64(withTactics(bytes,
                                    [](std::vector<cuda::Tactic>& ts) {
                                      for (auto& t : ts) t = ts.back();
                                    }),
                        p, {1, 3, 16, 200}, "large-batch algorithm");
  }
}

// fp8 keeps the FC weights in e4m3 with per-channel scales where k and n are multiples of 16,
// and fp16 elsewhere; the plan says so and its tactics are described.
void fp8StoresE4m3WeightsWithScales() {
  const auto bytes = build(wideMlp(), config(Precision::FP8, wideMlp(), 1, 8, 512));
  const Plan plan = parsePlan(bytes.data(), bytes.size());
  CHECK(plan.precision == Precision::FP8);
  int e4m3 = 0;
  for (const Op& op : plan.program.ops) {
    if (op.kind != Op::Kind::Gemm) continue;
    const Weights& w = plan.program.weights[op.weight];
    CHECK(w.dtype == DType::F8E4M3 && w.bytes.size() == static_cast<size_t>(op.n * op.k + op.n * 4));
    e4m3 += w.dtype == DType::F8E4M3;
  }
  CHECK(e4m3 == 3);
  const auto odd = build(fcStack(), config(Precision::FP8, fcStack(), 1, 8, 64));
  const Plan oddPlan = parsePlan(odd.data(), odd.size());
  for (const Op& op : oddPlan.program.ops)
    if (op.kind == Op::Kind::Gemm)
      CHECK(oddPlan.program.weights[op.weight].dtype == ((op.k % 16 == 0 && op.n % 16 == 0) ? DType::F8E4M3 : DType::F16));
}

void reusedTacticsGiveTheSamePlan() {
  const NetworkSpec net = wideMlp();
  BuildConfig c = config(Precision::FP16, net, 1, 8, 64);
  const auto first = build(net, c);
  c.reuseTactics = parsePlan(first.data(), first.size()).tactics;
  CHECK(build(net, c) == first);
}

std::vector<const cuda::Tactic*> tacticsOf(const cuda::TacticTable& table) {
  std::vector<const cuda::Tactic*> all;
  for (const auto& g : table.gemms)
    for (const auto& t : g.tactics) all.push_back(&t);
  return all;
}

bool sameKernel(const cuda::Tactic& a, const cuda::Tactic& b) {
  return a.kind == b.kind && a.variant == b.variant && a.algo == b.algo && a.workspaceBytes == b.workspaceBytes;
}

// A second network of the same shapes (other weights) built with the first one's winners times
// nothing: every (layer, bucket) is a hit, the kernels are the first build's, the plan says
// which tactics came from the cache, and it runs as correctly (and, for the same weights,
// identically) as a plan that timed them.
void timingCacheServesANetworkOfTheSameShapes() {
  auto backend = createBackend("cuda", 0);
  const NetworkSpec first = wideMlp();
  const BuildConfig c = config(Precision::FP16, first, 1, 8, 64);
  const Plan cold = buildPlan(first, c, *backend, nullptr);
  const auto coldCache = backend->timingCache(cold.tactics);
  CHECK(coldCache && coldCache->hits == 0);
  const cuda::TacticTable coldTable = cuda::TacticTable::parse(cold.tactics);
  const size_t gemmBuckets = coldTable.gemms.size() * coldTable.buckets.size();
  CHECK(gemmBuckets == 3 * 6);
  CHECK(coldCache->entries.size() == gemmBuckets);  // three distinct products: no key repeats

  BuildConfig warmConfig = c;
  warmConfig.timingCache = coldCache->entries;
  const NetworkSpec second = wideMlp();  // fresh random weights
  const Plan warm = buildPlan(second, warmConfig, *backend, nullptr);
  const auto warmCache = backend->timingCache(warm.tactics);
  CHECK(warmCache && warmCache->hits == gemmBuckets);
  CHECK(warmCache->entries.size() == coldCache->entries.size());
  const cuda::TacticTable warmTable = cuda::TacticTable::parse(warm.tactics);
  const auto coldTactics = tacticsOf(coldTable), warmTactics = tacticsOf(warmTable);
  CHECK(coldTactics.size() == warmTactics.size());
  for (size_t i = 0; i < coldTactics.size() && i < warmTactics.size(); ++i) {
    CHECK(sameKernel(*coldTactics[i], *warmTactics[i]));
    CHECK(!coldTactics[i]->cached && warmTactics[i]->cached);
  }
  CHECK(backend->describeTactics(warm.tactics).find("\"cached\":true") != std::string::npos);
  CHECK(backend->describeTactics(cold.tactics).find("\"cached\"") == std::string::npos);
  checkAgainstFloat64(serializePlan(warm), Precision::FP16, {1, 5, 64}, "timing-cache hits");

  // The first network rebuilt from the cache runs bit for bit as its timed plan.
  const auto coldBytes = serializePlan(cold);
  const auto rebuilt = serializePlan(buildPlan(first, warmConfig, *backend, nullptr));
  auto a = loadPlan(coldBytes.data(), coldBytes.size(), 0);
  auto b = loadPlan(rebuilt.data(), rebuilt.size(), 0);
  for (int64_t batch : {1, 7, 64}) {
    const auto inputs = randomInputs(a->plan, batch);
    CHECK(runPlan(*a, batch, inputs) == runPlan(*b, batch, inputs));
  }

  // Entries that are not tactics, or for other shapes, are ignored: the build times afresh.
  BuildConfig junk = c;
  junk.timingCache = {{coldCache->entries[0].key, "not base64!"}, {coldCache->entries[1].key, "AAAA"},
                      {"cuda-fc1:p2:k=1:n=1:a0:nobias:rows=1", coldCache->entries[2].tactic}};
  const auto junkCache = backend->timingCache(buildPlan(first, junk, *backend, nullptr).tactics);
  CHECK(junkCache && junkCache->hits == 0);
}

// A set cancel flag stops the build before the first candidate is timed, and one set while
// candidates are being timed stops it there.
void cancelledTuningStops() {
  auto backend = createBackend("cuda", 0);
  const NetworkSpec net = wideMlp();
  BuildConfig c = config(Precision::FP32, net, 1, 64, 4096);
  CancelFlag flag;
  c.cancel = &flag;
  const Program program = compileProgram(net, validate(net, c), c.precision);
  flag.set();
  CHECK_THROWS(Cancelled, "cancelled", backend->tune(program, c, BatchRange{1, 64, 4096}, nullptr));
  CancelFlag later;
  c.cancel = &later;
  bool timing = false;
  CHECK_THROWS(Cancelled, "cancelled",
               backend->tune(program, c, BatchRange{1, 64, 4096}, [&](double fraction, const std::string&) {
                 if (fraction > 0 && !timing) {
                   timing = true;  // one product tuned: cancel in the middle of the rest
                   later.set();
                 }
               }));
  CHECK(timing);
}

void planRoundTripRunsIdentically() {
  const auto bytes = build(fcStack(), config(Precision::FP32, fcStack(), 1, 8, 64));
  CHECK(serializePlan(parsePlan(bytes.data(), bytes.size())) == bytes);
  auto a = loadPlan(bytes.data(), bytes.size(), 0);
  auto b = loadPlan(bytes.data(), bytes.size(), 0);
  const auto inputs = randomInputs(a->plan, 5);
  CHECK(runPlan(*a, 5, inputs) == runPlan(*b, 5, inputs));
}

// The compat key names the SM and library versions; a plan whose key names another GPU is
// refused with a message that says what it needs.
void planForAnotherGpuRefused() {
  const auto bytes = build(wideMlp(), config(Precision::FP16, wideMlp(), 1, 1, 4));
  Plan plan = parsePlan(bytes.data(), bytes.size());
  const std::string here = plan.compatKey;
  const size_t sm = here.find(":sm_");
  CHECK(here.rfind("cuda:sm_", 0) == 0 && here.find(":cuda") != std::string::npos &&
        here.find(":cublasLt") != std::string::npos);
  if (sm == std::string::npos) return;
  const size_t end = here.find(':', sm + 1);
  const std::string other = here.substr(0, sm) + (here.compare(sm, end - sm, ":sm_80") == 0 ? ":sm_90" : ":sm_80") +
                            here.substr(end);
  plan.compatKey = other;
  const auto foreign = serializePlan(plan);
  CHECK_THROWS(Compat, "the plan was built for '" + other + "' but this machine's cuda backend is '" + here + "'",
               loadPlan(foreign.data(), foreign.size(), 0));
}

void batchOutsideProfileRefused() {
  const auto bytes = build(wideMlp(), config(Precision::FP32, wideMlp(), 2, 4, 8));
  auto loaded = loadPlan(bytes.data(), bytes.size(), 0);
  CHECK_THROWS(Input, "batch 9 is outside the plan's profile [2, 8]",
               runPlan(*loaded, 9, randomInputs(loaded->plan, 9)));
  CHECK_THROWS(Input, "batch 1 is outside", runPlan(*loaded, 1, randomInputs(loaded->plan, 1)));
}

// More threads on one engine than it has execution contexts (4 by default): runs share and wait
// for contexts, each gets its own inputs' result.
void concurrentRunsGetTheirOwnResults() {
  constexpr int kThreads = 8;
  const auto bytes = build(wideMlp(), config(Precision::FP32, wideMlp(), 1, 4, 32));
  auto loaded = loadPlan(bytes.data(), bytes.size(), 0);
  std::vector<std::vector<std::vector<float>>> inputs;
  std::vector<std::vector<std::vector<double>>> wants;
  for (int t = 0; t < kThreads; ++t) {
    inputs.push_back(randomInputs(loaded->plan, t + 1));
    wants.push_back(reference::run(loaded->plan.program, t + 1, inputs.back()));
  }
  std::vector<double> worst(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i)
        worst[t] = std::max(worst[t], relativeError(runPlan(*loaded, t + 1, inputs[t])[0], wants[t][0]));
    });
  for (auto& th : threads) th.join();
  for (double w : worst) CHECK(w <= tolerance(Precision::FP32));
}

void tacticsAreDescribedAndCheckedOnLoad() {
  const auto bytes = build(wideMlp(), config(Precision::BF16, wideMlp(), 1, 8, 512));
  Plan plan = parsePlan(bytes.data(), bytes.size());
  const std::string described = createBackend("cuda", 0)->describeTactics(plan.tactics);
  std::printf("  wide mlp bf16 tactics: %s\n", described.c_str());
  CHECK(described.find("\"buckets\":[1,2,4,8,16,64,256,512]") != std::string::npos);
  CHECK(described.find("\"kernel\":") != std::string::npos);
  plan.tactics = {1, 2, 3};
  const auto broken = serializePlan(plan);
  CHECK_THROWS(Plan, "cuda tactics", loadPlan(broken.data(), broken.size(), 0));
}

void statusNamesTheGpu() {
  for (const BackendStatus& s : listBackends()) {
    if (s.name != "cuda") continue;
    std::printf("  cuda: %s, %s (sm %s), %llu bytes\n", s.version.c_str(), s.devices.at(0).name.c_str(),
                s.devices.at(0).computeCapability.c_str(),
                static_cast<unsigned long long>(s.devices.at(0).memoryBytes));
    CHECK(s.compiled && s.available && !s.devices.empty());
    CHECK(s.version.rfind("cuda ", 0) == 0 && s.version.find(", cublasLt ") != std::string::npos);
    CHECK(s.devices[0].computeCapability.find('.') != std::string::npos && s.devices[0].memoryBytes > 0);
  }
  CHECK_THROWS(Backend, "no cuda device 99", createBackend("cuda", 99));
}

}  // namespace

int main() {
  for (const BackendStatus& s : listBackends())
    if (s.name == "cuda" && !s.available) {
      std::printf("skipped: cuda backend not available: %s\n", s.reason.c_str());
      return 77;
    }
  statusNamesTheGpu();
  seedGoldenEveryPrecision();
  networksMatchFloat64();
  everyTacticKindMatchesFloat64();
  fp8StoresE4m3WeightsWithScales();
  reusedTacticsGiveTheSamePlan();
  timingCacheServesANetworkOfTheSameShapes();
  cancelledTuningStops();
  planRoundTripRunsIdentically();
  planForAnotherGpuRefused();
  batchOutsideProfileRefused();
  concurrentRunsGetTheirOwnResults();
  tacticsAreDescribedAndCheckedOnLoad();
  TEST_MAIN_END();
}
