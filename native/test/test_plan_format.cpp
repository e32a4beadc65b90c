// The plan format: round trip, deterministic bytes, and a corpus of corrupted plans that must
// each be rejected with Error{Plan} and a message, never a crash or an over-read.
#include <cstring>
#include <random>

#include "check.h"
#include "core/builder.h"
#include "core/crc32.h"
#include "core/plan_format.h"
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

}  // namespace

int main() {
  roundTrip();
  sameBuildSameBytes();
  truncatedPlansRejected();
  everyBitFlipRejected();
  wrongMagicAndVersion();
  structuralCorruptionRejected();
  TEST_MAIN_END();
}
