#include "context_pool.h"

namespace trtfarm::cuda {

ContextPool::Lease ContextPool::acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    returned_.wait(lock, [&] { return !idle_.empty() || all_.size() + making_ < capacity_; });
    if (!idle_.empty()) {
      ExecContext* context = idle_.back();
      idle_.pop_back();
      return Lease(*this, *context);
    }
    // Allocating a context takes milliseconds: other calls keep taking and returning meanwhile.
    ++making_;
    lock.unlock();
    std::unique_ptr<ExecContext> made;
    try {
      made = make_();
    } catch (...) {
      lock.lock();
      --making_;
      returned_.notify_all();
      if (all_.empty()) throw;
      capacity_ = all_.size();
      continue;
    }
    lock.lock();
    --making_;
    all_.push_back(std::move(made));
    return Lease(*this, *all_.back());
  }
}

void ContextPool::giveBack(ExecContext* context) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(context);
  }
  returned_.notify_one();
}

}  // namespace trtfarm::cuda
