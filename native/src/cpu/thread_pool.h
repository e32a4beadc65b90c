// A small persistent pool shared by every cpu engine. parallelFor may be called from several
// threads at once (libuv runs inferences concurrently): each call publishes its own job in a
// slot, and the calling thread works on its job too, so a call never waits on a pool busy with
// another. Publishing and joining a job take no lock: a layer of a batch-1 MLP lasts only tens
// of microseconds, and with many threads a mutex around each job costs more than the work.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
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
  // Runs task(0) … task(count-1), each exactly once, and returns when all have finished; the
  // first exception a task throws is rethrown here once the others have stopped.
  void parallelFor(size_t count, const std::function<void(size_t)>& task);

  // hardware_concurrency threads, or TRTFARM_CPU_THREADS when set (to compare at equal threads).
  static ThreadPool& shared();

 private:
  // A job's home while it runs. Slots live as long as the pool, so a worker may look at one at
  // any time; `state` (generation << 1 | published) tells it whether what it saw is still current.
  struct Slot {
    std::atomic<bool> owned{false};
    std::atomic<uint64_t> state{0};
    const std::function<void(size_t)>* task = nullptr;
    size_t count = 0;
    std::atomic<size_t> next{0};
    std::atomic<unsigned> helpers{0};  // workers inside the job; its caller waits them out
    std::atomic<bool> failed{false};
    std::exception_ptr failure;        // the first task's exception, rethrown by the caller
  };
  static constexpr size_t kSlots = 8;

  static void drain(Slot& slot);
  bool helpSomeJob();  // false when no job was published
  bool anyPublished() const;
  void workerLoop();

  std::array<Slot, kSlots> slots_;
  std::atomic<bool> stopping_{false};
  std::atomic<unsigned> sleepers_{0};
  std::mutex sleepMutex_;
  std::condition_variable wake_;
  std::vector<std::thread> workers_;
};

}  // namespace trtfarm::cpu
