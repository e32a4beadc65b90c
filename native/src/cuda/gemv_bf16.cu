// GEMV kernels with __nv_bfloat16 weights (see gemv_kernel.cuh).
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(__nv_bfloat16, __nv_bfloat16, __nv_bfloat16)
TRTFARM_GEMV_INSTANCE(__nv_bfloat16, float, float)
TRTFARM_GEMV_INSTANCE(__nv_bfloat16, float, __nv_bfloat16)
TRTFARM_GEMV_INSTANCE(__nv_bfloat16, __nv_bfloat16, float)

}  // namespace trtfarm::cuda
