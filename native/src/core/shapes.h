// Shape rules of the layers. Each throws std::invalid_argument describing the problem; the
// caller (validate) adds which layer it was. kDynamic stands for the one batch symbol.
#pragma once

#include <string>

#include "program.h"

namespace trtfarm {

// Product of the dims; kDynamic dims count as 1 (the per-batch-item count).
int64_t numelPerBatch(const Dims& dims);
bool isDynamic(const Dims& dims);
// What every backend runs: `shape` with the run's batch in place of kDynamic, and its elements.
Dims atBatch(const Dims& shape, int64_t batch);
int64_t elementsAt(const Dims& shape, int64_t batch);
std::string formatDims(const Dims& dims);  // "(-1, 3, 4, 5)"

// fullyConnected: (N, d1..dk) → (N, outputs, 1, …, 1) keeping the input's rank, which gives the
// contract's (N, outputs, 1, 1) for 4-D and (N, outputs) for 2-D inputs. K = d1·…·dk.
Dims fullyConnectedShape(const Dims& in, int64_t outputs);
// numpy-style right-aligned broadcast of size-1 dims.
Dims broadcastShape(const Dims& a, const Dims& b);
// Matrix product over the last two dims (both operands need rank ≥ 2), leading dims broadcast.
Dims matrixMultiplyShape(const Dims& a, const Dims& b, bool transposeA, bool transposeB);
// TensorRT shuffle: 0 copies the input's dim at that index, one -1 is inferred. A batch tensor
// must keep the batch, unscaled, in dim 0.
Dims reshapeShape(const Dims& in, const Dims& spec);

}  // namespace trtfarm
