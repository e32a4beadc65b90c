#include "thread_pool.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

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
    std::lock_guard<std::mutex> lock(sleepMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

ThreadPool& ThreadPool::shared() {
  static ThreadPool pool(configuredThreads());
  return pool;
}

void ThreadPool::drain(Slot& slot) {
  for (size_t i = slot.next.fetch_add(1); i < slot.count; i = slot.next.fetch_add(1)) {
    try {
      (*slot.task)(i);
    } catch (...) {
      // A task that throws (bad_alloc in a scratch buffer) must not end a pool thread, which
      // would terminate the process: the first failure goes back to the caller, the rest is skipped.
      if (!slot.failed.exchange(true)) slot.failure = std::current_exception();
      slot.next.store(slot.count);
    }
  }
}

bool ThreadPool::anyPublished() const {
  return std::any_of(slots_.begin(), slots_.end(), [](const Slot& s) { return s.state.load() & 1; });
}

bool ThreadPool::helpSomeJob() {
  bool found = false;
  for (Slot& slot : slots_) {
    const uint64_t seen = slot.state.load();
    if (!(seen & 1)) continue;
    found = true;
    // Register, then check that the job is still the one seen: its caller retracts it before
    // waiting for helpers to leave, so either it sees us or we see the retraction.
    slot.helpers.fetch_add(1);
    if (slot.state.load() == seen) drain(slot);
    slot.helpers.fetch_sub(1, std::memory_order_release);
  }
  return found;
}

void ThreadPool::workerLoop() {
  auto lastWork = std::chrono::steady_clock::now();
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (helpSomeJob()) {
      lastWork = std::chrono::steady_clock::now();
      continue;
    }
    if (std::chrono::steady_clock::now() - lastWork < kSpinBeforeSleep) {
      relax();
      continue;
    }
    // Counted as a sleeper before the last look, so that a caller publishing now either sees
    // the count (and wakes us) or is seen by the look.
    std::unique_lock<std::mutex> lock(sleepMutex_);
    sleepers_.fetch_add(1);
    wake_.wait(lock, [this] { return stopping_.load() || anyPublished(); });
    sleepers_.fetch_sub(1);
    lastWork = std::chrono::steady_clock::now();
  }
}

void ThreadPool::parallelFor(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  Slot* slot = nullptr;
  for (Slot& s : slots_) {
    bool expected = false;
    if (count > 1 && !workers_.empty() && s.owned.compare_exchange_strong(expected, true)) {
      slot = &s;
      break;
    }
  }
  if (!slot) {  // one task, no workers, or more concurrent callers than slots: run it here
    for (size_t i = 0; i < count; ++i) task(i);
    return;
  }
  slot->task = &task;
  slot->count = count;
  slot->next.store(0);
  slot->failed.store(false);
  slot->failure = nullptr;
  const uint64_t generation = slot->state.load() + 1;  // even → odd: published
  slot->state.store(generation);
  if (sleepers_.load() > 0) {
    std::lock_guard<std::mutex> lock(sleepMutex_);
    wake_.notify_all();
  }
  drain(*slot);
  slot->state.store(generation + 1);  // retracted: no new helper will run a task
  while (slot->helpers.load(std::memory_order_acquire) != 0) relax();
  const std::exception_ptr failure = std::move(slot->failure);
  slot->owned.store(false);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace trtfarm::cpu
