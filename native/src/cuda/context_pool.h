// An engine's execution contexts: a call takes an idle one, or makes a new one while fewer than
// `capacity` exist, or waits for one to come back. The most recently returned goes out first, so
// a single caller keeps reusing one context (and its captured graphs). When making one fails (the
// device is full) and others exist, the pool stays at the size it has and the call waits instead.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "exec_context.h"

namespace trtfarm::cuda {

class ContextPool {
 public:
  using Factory = std::function<std::unique_ptr<ExecContext>()>;

  // A context held for one call; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ContextPool& pool, ExecContext& context) : pool_(&pool), context_(&context) {}
    ~Lease() { pool_->giveBack(context_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ExecContext& operator*() const { return *context_; }
    ExecContext* operator->() const { return context_; }

   private:
    ContextPool* pool_;
    ExecContext* context_;
  };

  ContextPool(size_t capacity, Factory make) : capacity_(capacity), make_(std::move(make)) {}
  Lease acquire();

 private:
  void giveBack(ExecContext* context);

  size_t capacity_;
  const Factory make_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<ExecContext>> all_;
  std::vector<ExecContext*> idle_;
  size_t making_ = 0;  // contexts being made outside the lock
};

}  // namespace trtfarm::cuda
