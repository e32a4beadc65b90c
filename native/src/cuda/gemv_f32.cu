// GEMV kernels with float weights (see gemv_kernel.cuh).
#include "gemv_kernel.cuh"

namespace trtfarm::cuda {

TRTFARM_GEMV_INSTANCE(float, float, float)

}  // namespace trtfarm::cuda
