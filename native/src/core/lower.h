// Network → Program, one op per layer, weights in fp32. The passes (fold, fuse, compact) and
// the precision conversion come after.
#pragma once

#include "network.h"
#include "validate.h"

namespace trtfarm {

// Value i is tensor i of `checked` (inputs, then one per layer). `shapesOnly`: weights get their
// shapes and no bytes (Program::shapesOnly).
Program lowerNetwork(const NetworkSpec& network, const CheckedNetwork& checked, bool shapesOnly = false);

}  // namespace trtfarm
