// Each run's inputs against the plan: names, ranks, fixed dims, batch within the profile; shapes at that batch.
#include "check.h"
#include "core/input_binding.h"
#include "core/shapes.h"

using namespace trtfarm;

namespace {

Plan twoInputPlan() {
  Plan plan;
  plan.batch = {2, 4, 8};
  plan.inputs.push_back({"x", {-1, 3}, {{2, 3}, {4, 3}, {8, 3}}});
  plan.inputs.push_back({"y", {-1, 5}, {{2, 5}, {4, 5}, {8, 5}}});
  plan.inputs.push_back({"s", {1, 2}, {}});
  return plan;
}

void bindsInAnyOrder() {
  const InputBinding b = bindInputs(twoInputPlan(), {{"s", {1, 2}}, {"y", {6, 5}}, {"x", {6, 3}}});
  CHECK(b.batch == 6);
  CHECK(b.order == (std::vector<size_t>{2, 1, 0}));
}

void shapesAtTheRunsBatch() {
  CHECK(atBatch({-1, 3}, 6) == (Dims{6, 3}));
  CHECK(atBatch({1, 2}, 6) == (Dims{1, 2}));
  CHECK(elementsAt({-1, 3, 5}, 6) == 90);
  CHECK(elementsAt({2, 3}, 6) == 6);
}

void rejectsBadInputs() {
  const Plan plan = twoInputPlan();
  CHECK_THROWS(Input, "unknown input 'z'; the plan's inputs are: x, y, s",
               bindInputs(plan, {{"x", {2, 3}}, {"y", {2, 5}}, {"s", {1, 2}}, {"z", {1}}}));
  CHECK_THROWS(Input, "missing input 'y' (-1, 5)", bindInputs(plan, {{"x", {2, 3}}, {"s", {1, 2}}}));
  CHECK_THROWS(Input, "input 'x' has rank 3 (2, 3, 1); the plan expects (-1, 3)",
               bindInputs(plan, {{"x", {2, 3, 1}}, {"y", {2, 5}}, {"s", {1, 2}}}));
  CHECK_THROWS(Input, "input 'y' has shape (2, 4); the plan expects (-1, 5) (dimension 1 must be 5)",
               bindInputs(plan, {{"x", {2, 3}}, {"y", {2, 4}}, {"s", {1, 2}}}));
  CHECK_THROWS(Input, "input 'x' has batch 9, outside the plan's profile [2, 8]",
               bindInputs(plan, {{"x", {9, 3}}, {"y", {9, 5}}, {"s", {1, 2}}}));
  CHECK_THROWS(Input, "input 'x' has batch 1, outside", bindInputs(plan, {{"x", {1, 3}}, {"y", {1, 5}}, {"s", {1, 2}}}));
  CHECK_THROWS(Input, "input 'y' has batch 3 but input 'x' has batch 2",
               bindInputs(plan, {{"x", {2, 3}}, {"y", {3, 5}}, {"s", {1, 2}}}));
  CHECK_THROWS(Input, "input 's' has shape (2, 2)", bindInputs(plan, {{"x", {2, 3}}, {"y", {2, 5}}, {"s", {2, 2}}}));
  CHECK_THROWS(Input, "batch 9 is outside the plan's profile [2, 8]", checkBatch(plan.batch, 9));
  CHECK_THROWS(Input, "batch 1 is outside", checkBatch(plan.batch, 1));
  checkBatch(plan.batch, 8);
}

}  // namespace

int main() {
  bindsInAnyOrder();
  shapesAtTheRunsBatch();
  rejectsBadInputs();
  TEST_MAIN_END();
}
