// The float64 reference of the C++ backend tests (cpu, cuda, tensorrt): an interpreter of a
// Program in naive loops over multi-indices, weights widened from their stored type.
#pragma once

#include <cstdint>
#include <vector>

#include "core/program.h"

namespace trtfarm::reference {

double activate(double x, Activation act, double alpha);

// The program's outputs at `batch` (substituted for kDynamic) for fp32 `inputs` in
// Program::inputs order.
std::vector<std::vector<double>> run(const Program& p, int64_t batch, const std::vector<std::vector<float>>& inputs);

}  // namespace trtfarm::reference
