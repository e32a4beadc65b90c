// Runs a program in fp32 on the host: weights widened and packed once at load, intermediates in
// an arena laid out once per batch size, every op multithreaded on the shared pool.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "aligned_buffer.h"
#include "core/arena_plan.h"
#include "core/backend.h"
#include "packed_matrix.h"
#include "thread_pool.h"

namespace trtfarm::cpu {

class CpuEngine : public Engine {
 public:
  // The program is consistent: parsePlan checked it, or the builder just made it.
  explicit CpuEngine(const Program& program);
  void run(int64_t batch, const std::vector<const float*>& inputs, const std::vector<float*>& outputs) override;

 private:
  void execute(int64_t batch, const ArenaPlan& plan, float* arena, const std::vector<const float*>& inputs,
               const std::vector<float*>& outputs);
  std::shared_ptr<const ArenaPlan> planFor(int64_t batch);
  std::unique_ptr<AlignedBuffer> takeArena(size_t floats);
  void returnArena(std::unique_ptr<AlignedBuffer> arena);

  Program program_;                                // without weight bytes: they live below, widened
  std::vector<AlignedBuffer> constants_;           // per value: fp32 data of a constant
  std::vector<std::unique_ptr<PackedMatrix>> packed_;  // per op: a Gemm's weights and bias
  ThreadPool& pool_;

  // Concurrent runs share the per-batch layouts and reuse each other's arenas.
  std::mutex mutex_;
  std::map<int64_t, std::shared_ptr<const ArenaPlan>> plans_;
  std::vector<std::unique_ptr<AlignedBuffer>> spareArenas_;
};

}  // namespace trtfarm::cpu
