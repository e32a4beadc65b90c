// The activation arena shared by the cpu and cuda engines: slots reused once their last reader
// ran, never under an op's own inputs, aliases on their source, inputs in the arena on request.
#include "check.h"
#include "core/arena_plan.h"

using namespace trtfarm;

namespace {

// x -> gemm -> relu -> gemm -> reshape -> out, every activation (-1, 8) floats; w a constant.
Program mlp() {
  Program p;
  p.weights.push_back({DType::F32, {8, 8}, {}});
  for (const char* name : {"x", "h0", "r0", "h1", "out"}) p.values.push_back({name, {kDynamic, 8}, -1});
  p.values[4].shape = {kDynamic, 2, 4};
  p.values.push_back({"w", {8, 8}, 0});
  p.inputs = {0};
  Op gemm;
  gemm.kind = Op::Kind::Gemm;
  gemm.k = gemm.n = 8;
  gemm.weight = 0;
  gemm.inputs = {0};
  gemm.output = 1;
  p.ops.push_back(gemm);
  Op relu;
  relu.kind = Op::Kind::Unary;
  relu.activation = Activation::Relu;
  relu.inputs = {1};
  relu.output = 2;
  p.ops.push_back(relu);
  gemm.inputs = {2};
  gemm.output = 3;
  p.ops.push_back(gemm);
  Op reshape;
  reshape.kind = Op::Kind::Alias;
  reshape.inputs = {3};
  reshape.output = 4;
  p.ops.push_back(reshape);
  p.outputs = {4};
  return p;
}

void slotsAreReusedButNeverUnderAnOpsInputs() {
  const ArenaPlan plan = planArena(mlp(), 4, {sizeof(float), 64, false});
  const int64_t slot = 4 * 8 * sizeof(float);  // 128 bytes: already a multiple of 64
  CHECK(plan.offset[0] == ArenaPlan::kNone);  // the input stays in the caller's buffer
  CHECK(plan.offset[5] == ArenaPlan::kNone);  // a constant
  CHECK(plan.offset[1] != plan.offset[2]);    // relu reads h0 while it writes r0
  CHECK(plan.offset[2] != plan.offset[3]);
  CHECK(plan.offset[3] == plan.offset[1]);    // h0 is dead once relu ran
  CHECK(plan.root[4] == 3 && plan.offset[4] == plan.offset[3]);
  CHECK(plan.bytes == 2 * slot);
}

void inputsInTheArenaLiveForTheWholeRun() {
  const ArenaPlan plan = planArena(mlp(), 4, {2, 256, true});
  CHECK(plan.offset[0] != ArenaPlan::kNone);
  for (int32_t v : {1, 2, 3}) CHECK(plan.offset[v] != plan.offset[0]);
  for (int32_t v : {0, 1, 2, 3}) CHECK(plan.offset[v] % 256 == 0);
  CHECK(plan.bytes == 3 * 256);
}

void sizedForTheBatch() {
  const ArenaPlan small = planArena(mlp(), 1, {sizeof(float), 16, false});
  const ArenaPlan large = planArena(mlp(), 64, {sizeof(float), 16, false});
  CHECK(small.bytes == 2 * 8 * 4);
  CHECK(large.bytes == 2 * 64 * 8 * 4);
}

}  // namespace

int main() {
  slotsAreReusedButNeverUnderAnOpsInputs();
  inputsInTheArenaLiveForTheWholeRun();
  sizedForTheBatch();
  TEST_MAIN_END();
}
