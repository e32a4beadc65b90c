// The parts of the tensorrt backend that need no TensorRT: the tactics container (engine +
// timing cache) and its truncations, the engine read back out of a whole plan, and compat keys.
#include <random>

#include "check.h"
#include "core/builder.h"
#include "seed_networks.h"
#include "tensorrt/compat_key.h"
#include "tensorrt/tactics_blob.h"

using namespace trtfarm;
using namespace trtfarm::tensorrt;

namespace {

std::vector<uint8_t> randomBytes(std::mt19937& rng, size_t n) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<uint8_t> out(n);
  for (uint8_t& b : out) b = static_cast<uint8_t>(byte(rng));
  return out;
}

void tacticsRoundTrip(std::mt19937& rng) {
  const TacticsBlob blob{randomBytes(rng, 1000 + rng() % 1000), randomBytes(rng, rng() % 300)};
  const std::vector<uint8_t> packed = packTactics(blob);
  const TacticsBlob back = unpackTactics(packed);
  CHECK(back.engine == blob.engine);
  CHECK(back.timingCache == blob.timingCache);
  // Every truncation is refused, never over-read.
  for (size_t n = 0; n < packed.size(); n += 1 + n / 16) {
    const std::vector<uint8_t> cut(packed.begin(), packed.begin() + n);
    CHECK_THROWS(Plan, "tensorrt plan", unpackTactics(cut));
  }
  std::vector<uint8_t> longer = packed;
  longer.push_back(0);
  CHECK_THROWS(Plan, "trailing bytes", unpackTactics(longer));
  std::vector<uint8_t> foreign = packed;
  foreign[0] = 'X';
  CHECK_THROWS(Plan, "bad magic", unpackTactics(foreign));
  CHECK_THROWS(Plan, "empty engine", unpackTactics(packTactics(TacticsBlob{{}, blob.timingCache})));
}

Plan planOf(const std::string& backend, std::vector<uint8_t> tactics) {
  const NetworkSpec net = seed::matrixMultiply(1);
  const BuildConfig config;
  const CheckedNetwork checked = validate(net, config);
  Plan plan;
  plan.backend = backend;
  plan.backendVersion = "test";
  plan.compatKey = backend + ":test";
  plan.batch = checked.batch;
  plan.inputs = checked.inputDescs;
  plan.outputs = checked.outputDescs;
  plan.program = compileProgram(net, checked, config.precision);
  plan.tactics = std::move(tactics);
  return plan;
}

void engineOutOfAPlan(std::mt19937& rng) {
  const std::vector<uint8_t> engine = randomBytes(rng, 4096);
  const std::vector<uint8_t> bytes = serializePlan(planOf("tensorrt", packTactics(TacticsBlob{engine, randomBytes(rng, 64)})));
  CHECK(engineOf(parsePlan(bytes.data(), bytes.size())) == engine);
  CHECK_THROWS(Plan, "built by the cpu backend", engineOf(planOf("cpu", {1, 2, 3})));
}

void compatKeys() {
  const CompatKeyParts sm86{"8.6", "10.16.0", "13.0"};
  CHECK(compatKeyFor(sm86, {}) == "tensorrt:sm_86:trt10.16.0:cuda13.0");
  CHECK(compatKeyFor(sm86, {false, HardwareCompatibility::SameComputeCapability}) == "tensorrt:sm_86:trt10.16.0:cuda13.0");
  CHECK(compatKeyFor(sm86, {false, HardwareCompatibility::AmperePlus}) == "tensorrt:sm_80+:trt10.16.0:cuda13.0");
  CHECK(compatKeyFor(sm86, {true, HardwareCompatibility::None}) == "tensorrt:sm_86:trt10.16.0+:cuda13.0");
  CHECK(compatKeysOf(sm86).size() == 4);
  for (const std::string& key : compatKeysOf(sm86)) {
    CHECK(isVersionCompatibleKey(key) == (key.find(":trt10.16.0+:") != std::string::npos));
  }
  // Before Ampere, no Ampere+ key.
  const std::vector<std::string> turing = compatKeysOf(CompatKeyParts{"7.5", "11.1.0", "13.0"});
  CHECK(turing.size() == 2);
  for (const std::string& key : turing) CHECK(key.find("sm_75:") != std::string::npos);
}

}  // namespace

int main() {
  std::mt19937 rng(std::random_device{}());
  tacticsRoundTrip(rng);
  engineOutOfAPlan(rng);
  compatKeys();
  TEST_MAIN_END();
}
