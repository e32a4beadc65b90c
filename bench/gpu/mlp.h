// The network every native GPU benchmark times: the 4-layer MLP of 4096 (bias + ReLU per layer,
// dynamic batch), with fresh uniform weights scaled by 1/sqrt(4096) so that activations keep
// their size through the layers.
#pragma once

#include <cstdint>
#include <ostream>
#include <random>

#include "core/network.h"

namespace trtfarm::bench {

constexpr int64_t kMlpWidth = 4096;
constexpr int kMlpLayers = 4;

// `weights`, when given, receives the fp32 weights as written: per layer W[n, k], then b[n].
NetworkSpec mlp(std::mt19937& rng, std::ostream* weights = nullptr);

}  // namespace trtfarm::bench
