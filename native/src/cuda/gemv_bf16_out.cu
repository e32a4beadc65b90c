// GEMV kernels with bf16 weights, fp32 y (the network's output) (see gemv_kernel.cuh); one (weights, x, y) type triple a file so
// that the many variants compile in parallel.
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(__nv_bfloat16, __nv_bfloat16, float)

}  // namespace trtfarm::cuda
