// The plan format: round trip, deterministic bytes, and a corpus of corrupted plans that must
// each be rejected with Error{Plan} and a message, never a crash or an over-read.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

#include "check.h"
#include "core/builder.h"
#include "core/crc32.h"
#include "core/plan_format.h"
#include "core/weights.h"
#include "seed_networks.h"

using namespace trtfarm;

namespace {

Plan seedPlan(Precision precision = Precision::FP32) {
  const NetworkSpec net = seed::matrixMultiply(-1);
  BuildConfig config;
  config.profile["x"] = {{1, 3, 4, 5}, {2, 3, 4, 5}, {8, 3, 4, 5}};
  const CheckedNetwork checked = validate(net, config);
  Plan plan;
  plan.backend = "cpu";
  plan.backendVersion = "test";
  plan.compatKey = "cpu:test";
  plan.precision = precision;
  plan.batch = checked.batch;
  plan.inputs = checked.inputDescs;
  plan.outputs = checked.outputDescs;
  plan.program = compileProgram(net, checked, precision);
  plan.tactics = {1, 2, 3};
  return plan;
}

// Rewrites the trailing checksum so that a modified body reaches the structural checks.
void resign(std::vector<uint8_t>& bytes) {
  const uint32_t c = crc32(bytes.data(), bytes.size() - 4);
  for (int i = 0; i < 4; ++i) bytes[bytes.size() - 4 + i] = static_cast<uint8_t>(c >> (8 * i));
}

void roundTrip() {
  for (Precision precision : {Precision::FP32, Precision::TF32, Precision::FP16, Precision::BF16}) {
    const Plan plan = seedPlan(precision);
    const std::vector<uint8_t> bytes = serializePlan(plan);
    const Plan back = parsePlan(bytes.data(), bytes.size());
    CHECK(back.formatVersion == kPlanFormatVersion);
    CHECK(back.backend == "cpu" && back.compatKey == "cpu:test" && back.precision == precision);
    CHECK(back.batch.min == 1 && back.batch.opt == 2 && back.batch.max == 8);
    CHECK(back.inputs.size() == 1 && back.inputs[0].profile.size() == 3 && back.inputs[0].shape == (Dims{-1, 3, 4, 5}));
    CHECK(back.program.ops.size() == plan.program.ops.size());
    CHECK(back.tactics == plan.tactics);
    CHECK(serializePlan(back) == bytes);
  }
}

// fp8: FC weights in e4m3 with one scale per row (k and n in 16s), the bias in fp16; the plan
// round-trips and its weights widen back within e4m3's rounding; scales cut off are refused.
void fp8PlansRoundTrip() {
  NetworkSpec net;
  net.inputs.push_back({"x", {kDynamic, 16}});
  LayerSpec fc;
  fc.name = "fc";
  fc.type = LayerType::FullyConnected;
  fc.outputs = 32;
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (int i = 0; i < 32 * 16; ++i) fc.weights.push_back(dist(rng) * (1 + i / 16));  // rows of other ranges
  fc.bias = std::vector<float>(32, 0.25f);
  net.layers.push_back(fc);
  BuildConfig config;
  config.backend = "cuda";
  config.precision = Precision::FP8;
  config.profile["x"] = {{1, 16}, {2, 16}, {8, 16}};
  const CheckedNetwork checked = validate(net, config);
  Plan plan = seedPlan();
  plan.precision = Precision::FP8;
  plan.batch = checked.batch;
  plan.inputs = checked.inputDescs;
  plan.outputs = checked.outputDescs;
  plan.program = compileProgram(net, checked, Precision::FP8);
  const Op& op = plan.program.ops.at(0);
  const Weights& w = plan.program.weights.at(op.weight);
  CHECK(w.dtype == DType::F8E4M3 && w.bytes.size() == 32 * 16 + 32 * 4);
  CHECK(plan.program.weights.at(op.bias).dtype == DType::F16);
  const std::vector<uint8_t> bytes = serializePlan(plan);
  const Plan back = parsePlan(bytes.data(), bytes.size());
  CHECK(back.precision == Precision::FP8 && serializePlan(back) == bytes);
  const std::vector<float> widened = widen(back.program.weights.at(op.weight));
  for (size_t i = 0; i < widened.size(); ++i) {
    const float rowMax = 1 + static_cast<float>(i / 16);  // |w| ≤ rowMax: e4m3 keeps 3 mantissa bits
    CHECK(std::fabs(widened[i] - fc.weights[i]) <= std::max(std::fabs(fc.weights[i]) / 16, rowMax / 448 / 64));
  }
  plan.program.weights[op.weight].bytes.resize(32 * 16);  // the scales cut off
  const std::vector<uint8_t> cut = serializePlan(plan);
  CHECK_THROWS(Plan, "size does not match their shape", parsePlan(cut.data(), cut.size()));
}

void sameBuildSameBytes() { CHECK(serializePlan(seedPlan()) == serializePlan(seedPlan())); }

void truncatedPlansRejected() {
  const std::vector<uint8_t> bytes = serializePlan(seedPlan());
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::string message;
    if (!check::throwsError(ErrorCode::Plan, "plan", [&] { parsePlan(bytes.data(), n); }, &message))
      check::fail(__FILE__, __LINE__, "truncation to " + std::to_string(n) + " bytes accepted");
  }
}

void everyBitFlipRejected() {
  const std::vector<uint8_t> bytes = serializePlan(seedPlan(Precision::FP16));
  for (size_t i = 0; i < bytes.size(); ++i)
    for (int bit = 0; bit < 8; bit += 3) {
      std::vector<uint8_t> bad = bytes;
      bad[i] ^= static_cast<uint8_t>(1 << bit);
      std::string message;
      if (!check::throwsError(ErrorCode::Plan, "", [&] { parsePlan(bad.data(), bad.size()); }, &message))
        check::fail(__FILE__, __LINE__, "bit flip at byte " + std::to_string(i) + " accepted");
    }
}

void wrongMagicAndVersion() {
  std::vector<uint8_t> bytes = serializePlan(seedPlan());
  std::vector<uint8_t> bad = bytes;
  bad[0] = 'X';
  CHECK_THROWS(Plan, "not a trtfarm plan (wrong magic bytes)", parsePlan(bad.data(), bad.size()));
  bad = bytes;
  bad[8] = 99;
  resign(bad);
  CHECK_THROWS(Plan, "plan format version 99 is not supported (this build reads version 1)",
               parsePlan(bad.data(), bad.size()));
  bad = bytes;
  bad.push_back(0);
  CHECK_THROWS(Plan, "checksum mismatch", parsePlan(bad.data(), bad.size()));
  resign(bad);
  CHECK_THROWS(Plan, "unexpected bytes after the tactics", parsePlan(bad.data(), bad.size()));
}

// Offset of the precision byte: header, then three length-prefixed strings.
size_t precisionOffset(const Plan& plan) {
  return kPlanHeaderBytes + 12 + plan.backend.size() + plan.backendVersion.size() + plan.compatKey.size();
}

void structuralCorruptionRejected() {
  const Plan plan = seedPlan();
  const std::vector<uint8_t> bytes = serializePlan(plan);
  std::vector<uint8_t> bad = bytes;
  bad[precisionOffset(plan)] = 7;
  resign(bad);
  CHECK_THROWS(Plan, "unknown precision 7", parsePlan(bad.data(), bad.size()));
  bad = bytes;
  bad[precisionOffset(plan) + 1] = 0;  // batch min 1 → 0
  resign(bad);
  CHECK_THROWS(Plan, "invalid batch range", parsePlan(bad.data(), bad.size()));

  // Random bytes with a valid checksum: rejected or accepted, but always cleanly.
  std::mt19937 rng(7);
  int rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    bad = bytes;
    const int edits = 1 + trial % 3;
    for (int e = 0; e < edits; ++e) bad[kPlanHeaderBytes + rng() % (bad.size() - kPlanHeaderBytes - 4)] = rng();
    resign(bad);
    try {
      parsePlan(bad.data(), bad.size());
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::Plan && std::strlen(e.what()) > 0);
      ++rejected;
    }
  }
  CHECK(rejected > 1000);
}

// The checksum (folded with carry-less multiplies where the CPU has them) against the
// definition, one bit at a time, at every length and alignment around its block sizes.
void crc32MatchesTheDefinition() {
  const auto bitwise = [](const uint8_t* d, size_t n) {
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; ++i) {
      c ^= d[i];
      for (int b = 0; b < 8; ++b) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
  };
  const uint8_t check[] = "123456789";
  CHECK(crc32(check, 9) == 0xcbf43926u);
  std::mt19937 rng(7);
  std::vector<uint8_t> data(1 << 16);
  for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
  int mismatches = 0;
  for (size_t n = 0; n < 600; ++n)
    for (size_t offset = 0; offset < 4; ++offset) mismatches += crc32(data.data() + offset, n) != bitwise(data.data() + offset, n);
  CHECK(mismatches == 0);
  CHECK(crc32(data.data(), data.size()) == bitwise(data.data(), data.size()));
}

void valueNothingComputesRejected() {
  Plan plan = seedPlan();
  plan.program.values.push_back({"orphan", {kDynamic, 3}, -1});
  const std::vector<uint8_t> bytes = serializePlan(plan);
  CHECK_THROWS(Plan, "corrupt plan: value 'orphan' is never computed", parsePlan(bytes.data(), bytes.size()));
}

}  // namespace

int main() {
  crc32MatchesTheDefinition();
  roundTrip();
  fp8PlansRoundTrip();
  sameBuildSameBytes();
  truncatedPlansRejected();
  everyBitFlipRejected();
  wrongMagicAndVersion();
  structuralCorruptionRejected();
  valueNothingComputesRejected();
  TEST_MAIN_END();
}
