// The cpu thread pool: every task runs once, concurrent callers each get their own job, and a
// task's exception reaches its caller instead of ending a pool thread (and the process).
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "check.h"
#include "cpu/thread_pool.h"

using trtfarm::cpu::ThreadPool;

namespace {

void eachTaskRunsOnce(ThreadPool& pool) {
  std::vector<std::atomic<int>> runs(1000);
  pool.parallelFor(runs.size(), [&](size_t i) { runs[i].fetch_add(1); });
  for (auto& r : runs) CHECK(r.load() == 1);
}

void concurrentCallersEachFinishTheirJob(ThreadPool& pool) {
  std::vector<std::thread> callers;
  std::atomic<long> sum{0};
  for (int c = 0; c < 12; ++c)
    callers.emplace_back([&] { pool.parallelFor(500, [&](size_t i) { sum.fetch_add(static_cast<long>(i)); }); });
  for (auto& t : callers) t.join();
  CHECK(sum.load() == 12L * (499L * 500L / 2));
}

void aThrowingTaskReachesItsCaller(ThreadPool& pool) {
  bool caught = false;
  try {
    pool.parallelFor(200, [](size_t i) {
      if (i == 137) throw std::length_error("task 137 failed");
    });
  } catch (const std::length_error& e) {
    caught = std::string(e.what()) == "task 137 failed";
  }
  CHECK(caught);
  eachTaskRunsOnce(pool);  // the pool still works afterwards
}

}  // namespace

int main() {
  for (unsigned threads : {1u, 2u, 7u}) {
    ThreadPool pool(threads);
    eachTaskRunsOnce(pool);
    concurrentCallersEachFinishTheirJob(pool);
    aThrowingTaskReachesItsCaller(pool);
  }
  return check::failures() == 0 ? 0 : 1;
}
