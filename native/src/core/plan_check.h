// Consistency of a parsed plan: every index in range, every value computed, every shape what its
// op produces, every weight the size its shape and dtype say. A plan that passes can be run
// without bounds surprises: the backends' engines trust it and check nothing of this again.
#pragma once

#include "plan.h"

namespace trtfarm {

// Throws Error{ErrorCode::Plan} naming the first problem.
void checkPlan(const Plan& plan);

}  // namespace trtfarm
