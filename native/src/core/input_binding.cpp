#include "input_binding.h"

#include "error.h"
#include "shapes.h"

namespace trtfarm {

namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCode::Input, message); }

std::string inputNames(const Plan& plan) {
  std::string names;
  for (const TensorDesc& d : plan.inputs) names += (names.empty() ? "" : ", ") + d.name;
  return names;
}

}  // namespace

void checkBatch(const BatchRange& range, int64_t batch) {
  if (batch < range.min || batch > range.max)
    fail("batch " + std::to_string(batch) + " is outside the plan's profile [" + std::to_string(range.min) + ", " +
         std::to_string(range.max) + "]");
}

InputBinding bindInputs(const Plan& plan, const std::vector<std::pair<std::string, Dims>>& given) {
  for (const auto& [name, shape] : given) {
    bool known = false;
    for (const TensorDesc& d : plan.inputs) known = known || d.name == name;
    if (!known) fail("unknown input '" + name + "'; the plan's inputs are: " + inputNames(plan));
  }
  InputBinding binding;
  const TensorDesc* batchSource = nullptr;
  for (const TensorDesc& desc : plan.inputs) {
    size_t found = given.size();
    for (size_t i = 0; i < given.size(); ++i)
      if (given[i].first == desc.name) found = i;
    if (found == given.size()) fail("missing input '" + desc.name + "' " + formatDims(desc.shape));
    const Dims& shape = given[found].second;
    const std::string who = "input '" + desc.name + "'";
    if (shape.size() != desc.shape.size())
      fail(who + " has rank " + std::to_string(shape.size()) + " " + formatDims(shape) + "; the plan expects " +
           formatDims(desc.shape));
    for (size_t d = 0; d < shape.size(); ++d)
      if (desc.shape[d] != kDynamic && shape[d] != desc.shape[d])
        fail(who + " has shape " + formatDims(shape) + "; the plan expects " + formatDims(desc.shape) + " (dimension " +
             std::to_string(d) + " must be " + std::to_string(desc.shape[d]) + ")");
    if (isDynamic(desc.shape)) {
      if (shape[0] < plan.batch.min || shape[0] > plan.batch.max)
        fail(who + " has batch " + std::to_string(shape[0]) + ", outside the plan's profile [" +
             std::to_string(plan.batch.min) + ", " + std::to_string(plan.batch.max) + "]");
      if (batchSource && shape[0] != binding.batch)
        fail(who + " has batch " + std::to_string(shape[0]) + " but input '" + batchSource->name + "' has batch " +
             std::to_string(binding.batch) + "; every dynamic input must share one batch");
      binding.batch = shape[0];
      batchSource = &desc;
    }
    binding.order.push_back(found);
  }
  if (!batchSource) binding.batch = plan.batch.opt;
  return binding;
}

}  // namespace trtfarm
