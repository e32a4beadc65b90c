// GEMV kernels with f8 weights, fp32 x and y (see gemv_kernel.cuh); one (weights, x, y) type triple a file so
// that the many variants compile in parallel.
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(__nv_fp8_e4m3, float, float)

}  // namespace trtfarm::cuda
