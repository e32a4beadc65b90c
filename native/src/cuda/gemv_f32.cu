// GEMV kernels with fp32 weights (see gemv_kernel.cuh); one (weights, x, y) type triple a file so
// that the many variants compile in parallel.
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(float, float, float)

}  // namespace trtfarm::cuda
