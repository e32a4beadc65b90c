// Constant data in its stored dtype: creation from fp32, widening back, and the build
// precision's storage type.
#pragma once

#include <vector>

#include "program.h"

namespace trtfarm {

// Bytes per element (F8E4M3: 1, its per-row scales not counted).
size_t dtypeSize(DType dtype);
// The bytes `shape` takes in `dtype`, F8E4M3's per-row scales included.
uint64_t storedBytes(DType dtype, const Dims& shape);
// fp32 and tf32 builds keep fp32 weights (tf32 only changes the math); fp16/bf16 store reduced;
// fp8 builds compute in fp16 around their e4m3 FC weights (quantizeFcWeights).
DType storageType(Precision precision);
Weights makeWeights(const Dims& shape, const std::vector<float>& values, DType dtype = DType::F32);
// The same from `count` fp32 values at `values` (any alignment): no intermediate copy.
Weights makeWeights(const Dims& shape, const uint8_t* values, size_t count, DType dtype);
// Index of the first of `count` fp32 values at `values` that is finite but rounds to infinity
// in `dtype` (F16 or BF16), or `count` when none does.
size_t firstOverflow(const uint8_t* values, size_t count, DType dtype);
// Index of the first NaN or infinity in `values`, or its size.
size_t firstNonFinite(const std::vector<float>& values);
std::vector<float> widen(const Weights& weights);
// Rounds every weight of the program to `dtype` (round-to-nearest-even).
void storeWeightsAs(Program& program, DType dtype);
// An fp8 build's FC weights to F8E4M3, each output channel (row) scaled so its largest magnitude
// is e4m3's 448. Weights that are also read as values (or as a bias), and those whose k or n is
// not a multiple of 16 (the fp8 kernels' granule), keep their dtype (fp16).
void quantizeFcWeights(Program& program);

}  // namespace trtfarm
