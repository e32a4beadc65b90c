// A small persistent pool shared by every cpu engine. parallelFor may be called from several
// threads at once (libuv runs inferences concurrently): each call is its own job, and the
// calling thread works on its job too, so a call never waits on a pool busy with another.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace trtfarm::cpu {

class ThreadPool {
 public:
  // `threads` counts the caller: a pool of 1 runs everything inline.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }
  // Runs task(0) … task(count-1), each exactly once, and returns when all have finished.
  void parallelFor(size_t count, const std::function<void(size_t)>& task);

  // hardware_concurrency threads, or TRTFARM_CPU_THREADS when set (to compare at equal threads).
  static ThreadPool& shared();

 private:
  struct Job {
    const std::function<void(size_t)>* task = nullptr;
    size_t count = 0;
    std::atomic<size_t> next{0};
    std::atomic<unsigned> helpers{0};  // workers inside this job; the caller waits them out
  };
  static void drain(Job& job);
  Job* takeJob();  // with mutex_ held: the first queued job with work left, registered as helped
  void workerLoop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job*> jobs_;
  std::atomic<size_t> queued_{0};  // jobs_.size(), readable without the mutex while spinning
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace trtfarm::cpu
