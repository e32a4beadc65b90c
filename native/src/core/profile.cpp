#include "profile.h"

#include "error.h"
#include "shapes.h"

namespace trtfarm {

namespace {

[[noreturn]] void fail(const std::string& message) { throw Error(ErrorCode::Network, message); }

const char* const kRangeNames[3] = {"min", "opt", "max"};

void checkRange(const InputSpec& input, const std::vector<Dims>& range) {
  const std::string who = "profile of input '" + input.name + "'";
  if (range.size() != 3) fail(who + ": needs min, opt and max");
  for (size_t r = 0; r < 3; ++r) {
    const Dims& dims = range[r];
    if (dims.size() != input.shape.size())
      fail(who + ": " + kRangeNames[r] + " " + formatDims(dims) + " has rank " + std::to_string(dims.size()) +
           " but the input " + formatDims(input.shape) + " has rank " + std::to_string(input.shape.size()));
    if (dims[0] < 1) fail(who + ": " + kRangeNames[r] + " batch must be at least 1, got " + std::to_string(dims[0]));
    for (size_t i = 1; i < dims.size(); ++i)
      if (dims[i] != input.shape[i])
        fail(who + ": " + kRangeNames[r] + " " + formatDims(dims) + " differs from the input " + formatDims(input.shape) +
             " in dimension " + std::to_string(i) + "; only the batch dimension may vary");
  }
  if (range[0][0] > range[1][0] || range[1][0] > range[2][0])
    fail(who + ": needs min ≤ opt ≤ max in the batch dimension, got " + std::to_string(range[0][0]) + ", " +
         std::to_string(range[1][0]) + ", " + std::to_string(range[2][0]));
  if (input.shape[0] != kDynamic && (range[0][0] != input.shape[0] || range[2][0] != input.shape[0]))
    fail(who + ": the input has a fixed batch of " + std::to_string(input.shape[0]) + ", so its profile must equal " +
         formatDims(input.shape));
}

}  // namespace

BatchRange checkProfile(const std::vector<InputSpec>& inputs, const std::map<std::string, std::vector<Dims>>& profile,
                        std::vector<TensorDesc>& descs) {
  for (const auto& [name, range] : profile) {
    bool known = false;
    for (const InputSpec& input : inputs) known = known || input.name == name;
    if (!known) fail("the profile names '" + name + "', which is not a network input");
  }
  bool dynamic = false;
  BatchRange batch{inputs[0].shape[0], inputs[0].shape[0], inputs[0].shape[0]};
  for (const InputSpec& input : inputs) {
    TensorDesc desc{input.name, input.shape, {}};
    const auto found = profile.find(input.name);
    if (found != profile.end()) checkRange(input, found->second);
    if (input.shape[0] == kDynamic) {
      if (found == profile.end())
        fail("input '" + input.name + "' has a dynamic batch (-1) and needs a profile {min, opt, max}");
      const BatchRange range{found->second[0][0], found->second[1][0], found->second[2][0]};
      if (dynamic && (range.min != batch.min || range.opt != batch.opt || range.max != batch.max))
        fail("profile of input '" + input.name + "': every dynamic input must share one batch range (min " +
             std::to_string(batch.min) + ", opt " + std::to_string(batch.opt) + ", max " + std::to_string(batch.max) + ")");
      batch = range;
      dynamic = true;
      desc.profile = found->second;
    }
    descs.push_back(desc);
  }
  return batch;
}

}  // namespace trtfarm
