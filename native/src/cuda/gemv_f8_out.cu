// GEMV kernels with f8 weights, fp32 y (the network's output) (see gemv_kernel.cuh); one (weights, x, y) type triple a file so
// that the many variants compile in parallel.
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(__nv_fp8_e4m3, __half, float)

}  // namespace trtfarm::cuda
