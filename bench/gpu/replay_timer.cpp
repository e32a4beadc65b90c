#include "replay_timer.h"

#include "gpu/stream.h"

namespace trtfarm::bench {

namespace {

constexpr int kWarmupReplays = 3;

}  // namespace

std::vector<float> timeReplays(cuda::CudaEngine& engine, int64_t batch, int reps) {
  std::vector<float> ms;
  engine.withGraph(batch, [&](cudaGraphExec_t exec, cudaStream_t stream) {
    for (int i = 0; i < kWarmupReplays; ++i) gpu::check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
    const gpu::Event start = gpu::newEvent(cudaEventDefault), stop = gpu::newEvent(cudaEventDefault);
    for (int i = 0; i < reps; ++i) {
      gpu::check(cudaEventRecord(start.get(), stream), "cudaEventRecord");
      gpu::check(cudaGraphLaunch(exec, stream), "cudaGraphLaunch");
      gpu::check(cudaEventRecord(stop.get(), stream), "cudaEventRecord");
      gpu::check(cudaEventSynchronize(stop.get()), "cudaEventSynchronize");
      float t = 0;
      gpu::check(cudaEventElapsedTime(&t, start.get(), stop.get()), "cudaEventElapsedTime");
      ms.push_back(t);
    }
  });
  return ms;
}

}  // namespace trtfarm::bench
