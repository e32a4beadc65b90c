// Network → Program, one op per layer, weights in fp32. The passes (fold, fuse, compact) and
// the precision conversion come after.
#pragma once

#include "network.h"
#include "validate.h"

namespace trtfarm {

// Value i is tensor i of `checked` (inputs, then one per layer). The weights of a fullyConnected
// layer that reads a network-dependent tensor are stored in `precision`'s type at once (no pass
// changes them, and it spares a copy of hundreds of megabytes); the rest stay fp32 for the
// passes. `shapesOnly`: weights get their shapes and no bytes (Program::shapesOnly).
Program lowerNetwork(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision,
                     bool shapesOnly = false);

}  // namespace trtfarm
