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
// Index of the first of `count` fp32 values at `values` that is finite but rounds to infinity
// in `dtype`, or `count` when none does.
size_t firstOverflow(const uint8_t* values, size_t count, DType dtype);
// Index of the first NaN or infinity in `values`, or its size.
size_t firstNonFinite(const std::vector<float>& values);
// The same from `count` fp32 values at `values` (any alignment): no intermediate copy.
Weights makeWeights(const Dims& shape, const uint8_t* values, size_t count, DType dtype);
std::vector<float> widen(const Weights& weights);
// What `weights` take in a plan, from shape and dtype (also for a shapesOnly program).
uint64_t storedBytes(const Weights& weights);
// Rounds every weight of the program to `dtype` (round-to-nearest-even).
void storeWeightsAs(Program& program, DType dtype);

}  // namespace trtfarm
