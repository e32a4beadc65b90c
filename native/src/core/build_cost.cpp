#include "build_cost.h"

#include <cstdio>

#include "builder.h"
#include "error.h"
#include "lower.h"
#include "weights.h"

namespace trtfarm {

namespace {

std::string bytesText(double bytes) {
  char text[64];
  std::snprintf(text, sizeof text, "%.0f bytes (%.1f MiB)", bytes, bytes / (1024.0 * 1024.0));
  return text;
}

void over(const std::string& what, double value, double limit, const std::string& shown, const std::string& limitShown,
          const char* name) {
  if (value <= limit) return;
  throw Error(ErrorCode::Network, what + " " + shown + ", over the limit of " + limitShown + " (limits." + name + ")",
              name);
}

std::string count(double n) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", n);
  return text;
}

}  // namespace

BuildCost estimateBuildCost(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision) {
  Program program = lowerNetwork(network, checked, precision, /*shapesOnly=*/true);
  BuildCost cost;
  optimizeProgram(program, precision, nullptr, cost.fold);
  for (const Weights& w : program.weights) cost.planWeightBytes += static_cast<double>(storedBytes(w.dtype, w.shape));
  return cost;
}

void checkBuildLimits(const BuildCost& cost, const BuildLimits& limits) {
  over("constant folding would compute", cost.fold.flops, limits.foldFlops, count(cost.fold.flops) + " operations",
       count(limits.foldFlops), "foldFlops");
  over("constant folding would make", cost.fold.bytes, limits.foldedBytes, bytesText(cost.fold.bytes) + " of constants",
       bytesText(limits.foldedBytes), "foldedBytes");
  over("the plan would hold", cost.planWeightBytes, limits.planBytes,
       bytesText(cost.planWeightBytes) + " of weights after constant folding and fusion", bytesText(limits.planBytes),
       "planBytes");
}

}  // namespace trtfarm
