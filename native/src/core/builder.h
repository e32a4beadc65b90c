// The builder: network + config → program → tuned on a backend → plan.
#pragma once

#include "backend.h"
#include "network.h"
#include "passes.h"
#include "validate.h"

namespace trtfarm {

// Folds constants, fuses Gemms, drops dead code, stores weights in the precision's type; checks
// `cancel` between passes.
void optimizeProgram(Program& program, Precision precision, const CancelFlag* cancel, FoldCost& fold);
// Lowers `network`, then optimizeProgram.
Program compileProgram(const NetworkSpec& network, const CheckedNetwork& checked, Precision precision,
                       const CancelFlag* cancel = nullptr);
// The whole build; throws Error{Network} for a bad network or config (limits included),
// Error{Cancelled} once config.cancel is set.
Plan buildPlan(const NetworkSpec& network, const BuildConfig& config, Backend& backend, const ProgressFn& progress);

}  // namespace trtfarm
