// The builder: network + config → program → tuned on a backend → plan.
#pragma once

#include "backend.h"
#include "network.h"
#include "validate.h"

namespace trtfarm {

// Lowers, folds constants, fuses Gemms, drops dead code, stores weights in the precision's type.
Program compileProgram(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision);
// The whole build; throws Error{Network} for a bad network or config.
Plan buildPlan(const NetworkSpec& network, const BuildConfig& config, Backend& backend, const ProgressFn& progress);

}  // namespace trtfarm
