// libFuzzer target of the plan reader (native/fuzz/run.sh): any bytes → parsePlan; a plan that
// parses is loaded on the cpu backend and run once at its smallest batch on deterministic
// inputs, under ASan and UBSan. The checksum is recomputed over the mutated bytes first: the
// reader checks it before anything else, and a fuzzer that must also guess a CRC never gets
// past it to the parser and the engine behind.
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/crc32.h"
#include "core/error.h"
#include "core/input_binding.h"
#include "core/plan_format.h"
#include "core/shapes.h"
#include "registry/runtime.h"

namespace {

// Runs whose tensors would hold more than this many elements are skipped: a plan may declare
// shapes that are valid but big, and the target looks for memory errors, not for slow inputs.
constexpr int64_t kMaxRunElements = int64_t{1} << 20;

int64_t elementsAt(const trtfarm::Dims& shape, int64_t batch) {
  int64_t n = 1;
  for (int64_t d : trtfarm::atBatch(shape, batch)) {
    if (d <= 0 || d > kMaxRunElements || n > kMaxRunElements / d) return kMaxRunElements + 1;
    n *= d;
  }
  return n;
}

void runOnce(trtfarm::LoadedPlan& loaded) {
  const trtfarm::Plan& plan = loaded.plan;
  const int64_t batch = plan.batch.min;
  int64_t total = 0;
  for (const trtfarm::Value& v : plan.program.values) {
    total += elementsAt(v.shape, batch);
    if (total > kMaxRunElements) return;
  }
  std::vector<std::vector<float>> inputs, outputs;
  std::vector<const float*> in;
  std::vector<float*> out;
  for (const trtfarm::TensorDesc& d : plan.inputs) {
    std::vector<float> x(static_cast<size_t>(elementsAt(d.shape, batch)));
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7919) % 13) / 6.0f - 1.0f;
    inputs.push_back(std::move(x));
  }
  for (const trtfarm::TensorDesc& d : plan.outputs) outputs.emplace_back(static_cast<size_t>(elementsAt(d.shape, batch)));
  for (const auto& x : inputs) in.push_back(x.data());
  for (auto& y : outputs) out.push_back(y.data());
  loaded.engine->run(batch, in, out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> bytes(data, data + size);
  if (size >= trtfarm::kPlanHeaderBytes + trtfarm::kPlanChecksumBytes) {
    const uint32_t crc = trtfarm::crc32(bytes.data(), size - trtfarm::kPlanChecksumBytes);
    for (size_t i = 0; i < 4; ++i) bytes[size - 4 + i] = static_cast<uint8_t>(crc >> (8 * i));
  }
  try {
    auto loaded = trtfarm::loadPlan(bytes.data(), bytes.size(), 0);
    runOnce(*loaded);
  } catch (const trtfarm::Error&) {
    // A refused plan (or a refused run) is the reader doing its job.
  }
  return 0;
}
