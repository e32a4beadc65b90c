// Validation and shape inference of a network against a build config: the one place that
// checks a network. Every message names the layer (or input) and the problem.
#pragma once

#include <vector>

#include "network.h"
#include "plan.h"

namespace trtfarm {

// Tensors are numbered: network inputs first (0..inputs-1), then one per layer in order.
struct CheckedNetwork {
  std::vector<std::string> names;
  std::vector<Dims> shapes;                 // dim 0 kDynamic for batch tensors
  std::vector<bool> constant;               // depends on no network input
  std::vector<std::vector<int32_t>> layerInputs;  // per layer, tensor indices
  std::vector<int32_t> outputs;             // tensor indices
  BatchRange batch;
  std::vector<TensorDesc> inputDescs, outputDescs;  // with the profile on dynamic inputs
};

// Throws Error{ErrorCode::Network} naming the layer and the problem, or the limit of
// config.limits that the build would exceed (build_cost.h).
CheckedNetwork validate(const NetworkSpec& network, const BuildConfig& config);

}  // namespace trtfarm
