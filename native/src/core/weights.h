// Constant data in its stored dtype: creation from fp32, widening back, and the build
// precision's storage type.
#pragma once

#include <vector>

#include "program.h"

namespace trtfarm {

size_t dtypeSize(DType dtype);
// fp32 and tf32 builds keep fp32 weights (tf32 only changes the math); fp16/bf16 store reduced.
DType storageType(Precision precision);
Weights makeWeights(const Dims& shape, const std::vector<float>& values, DType dtype = DType::F32);
std::vector<float> widen(const Weights& weights);
// What `weights` take in a plan, from shape and dtype (also for a shapesOnly program).
uint64_t storedBytes(const Weights& weights);
// Rounds every weight of the program to `dtype` (round-to-nearest-even).
void storeWeightsAs(Program& program, DType dtype);

}  // namespace trtfarm
