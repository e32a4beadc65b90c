// GEMV kernels with __half weights (see gemv_kernel.cuh).
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(__half, __half, __half)
TRTFARM_GEMV_INSTANCE(__half, float, float)
TRTFARM_GEMV_INSTANCE(__half, float, __half)
TRTFARM_GEMV_INSTANCE(__half, __half, float)

}  // namespace trtfarm::cuda
