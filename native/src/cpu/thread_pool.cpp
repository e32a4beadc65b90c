#include "thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace trtfarm::cpu {

namespace {

// Layers of a small-batch MLP take tens of microseconds each; a worker that went to sleep on
// the condition variable would take about as long to wake. So idle workers keep polling for
// this long after their last job before they sleep.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(200);

// One poll of a busy wait. Not sched_yield: with more runnable threads than cores, a yield can
// hand the core away for a whole time slice, which costs a small layer many times its work.
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

unsigned configuredThreads() {
  if (const char* env = std::getenv("TRTFARM_CPU_THREADS")) {
    const long n = std::strtol(env, nullptr, 10);
    if (n >= 1 && n <= 1024) return static_cast<unsigned>(n);
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

ThreadPool& ThreadPool::shared() {
  static ThreadPool pool(configuredThreads());
  return pool;
}

void ThreadPool::drain(Job& job) {
  for (size_t i = job.next.fetch_add(1); i < job.count; i = job.next.fetch_add(1)) (*job.task)(i);
}

ThreadPool::Job* ThreadPool::takeJob() {
  while (!jobs_.empty()) {
    Job* job = jobs_.front();
    if (job->next.load() < job->count) {
      job->helpers.fetch_add(1);
      return job;
    }
    jobs_.pop_front();  // all its tasks are taken; its caller waits for them to finish
    queued_.store(jobs_.size());
  }
  return nullptr;
}

void ThreadPool::workerLoop() {
  auto lastWork = std::chrono::steady_clock::now();
  for (;;) {
    Job* job = nullptr;
    if (queued_.load(std::memory_order_acquire) == 0 &&
        std::chrono::steady_clock::now() - lastWork < kSpinBeforeSleep) {
      relax();
      continue;
    }
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (jobs_.empty() && std::chrono::steady_clock::now() - lastWork >= kSpinBeforeSleep) {
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      }
      if (stopping_) return;
      job = takeJob();
    }
    if (!job) continue;
    drain(*job);
    job->helpers.fetch_sub(1, std::memory_order_release);  // last touch: the caller may free it now
    lastWork = std::chrono::steady_clock::now();
  }
}

void ThreadPool::parallelFor(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  if (count == 1 || workers_.empty()) {
    for (size_t i = 0; i < count; ++i) task(i);
    return;
  }
  Job job;
  job.task = &task;
  job.count = count;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(&job);
    queued_.store(jobs_.size(), std::memory_order_release);
  }
  wake_.notify_all();
  drain(job);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = std::find(jobs_.begin(), jobs_.end(), &job);
    if (it != jobs_.end()) jobs_.erase(it);
    queued_.store(jobs_.size());
  }
  // No worker can find the job any more; wait for those still running one of its tasks.
  while (job.helpers.load(std::memory_order_acquire) != 0) relax();
}

}  // namespace trtfarm::cpu
