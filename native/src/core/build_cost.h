// What a build will cost, known before it starts: the builder's own passes run on shapes alone
// (no weight is read, copied or folded), so that validate() can refuse a network whose plan or
// constant folding would be far larger than its request (one constant fused into a hundred
// layers, a chain of constant products) in microseconds instead of finding out after minutes.
#pragma once

#include "network.h"
#include "passes.h"
#include "validate.h"

namespace trtfarm {

struct BuildCost {
  double planWeightBytes = 0;  // weights, biases and constants the plan stores, in the build precision
  FoldCost fold;
};

BuildCost estimateBuildCost(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision);
// Throws Error{Network} naming the first limit of `limits` that `cost` is over.
void checkBuildLimits(const BuildCost& cost, const BuildLimits& limits);

}  // namespace trtfarm
