// The optimization profile: one batch range shared by every dynamic input.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "network.h"
#include "plan.h"

namespace trtfarm {

// Checks `profile` against the inputs and fills `descs` (one per input, with its profile when
// dynamic). Throws Error{ErrorCode::Network} naming the input and the problem.
BatchRange checkProfile(const std::vector<InputSpec>& inputs, const std::map<std::string, std::vector<Dims>>& profile,
                        std::vector<TensorDesc>& descs);

}  // namespace trtfarm
