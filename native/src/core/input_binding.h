// The checks on each run's inputs against the plan they run on.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "plan.h"

namespace trtfarm {

// Per plan input in order, the index into the caller's inputs, and the run's batch.
struct InputBinding {
  std::vector<size_t> order;
  int64_t batch = 1;
};

// `given`: the caller's inputs as (name, shape), in any order. Throws Error{Input} naming the
// input and the problem (unknown or missing name, rank, a fixed dim, batch outside the profile).
InputBinding bindInputs(const Plan& plan, const std::vector<std::pair<std::string, Dims>>& given);

// For engines, which take the batch alone: throws Error{Input} when it is outside `range`.
void checkBatch(const BatchRange& range, int64_t batch);

}  // namespace trtfarm
