// How many API requests run their handler at once, which keeps the latency tail short.
//
// A request is served on a worker thread, and there may be many of them: the workers of new
// connections, and those added for slow clients. Were 32 busy threads to run their handlers at
// once, the scheduler would slice them, every request would wait for the others' slices, and
// the slowest 1% took 25 ms where the median took 2 ms (bench/README.md).
// RequestGate lets at most `slots` handlers run and queues the other threads, asleep, in
// arrival order: a request then waits for those ahead of it, not for a share of all of them.
// Reading the request and writing the answer happen outside the gate, so slow clients do not
// hold a slot. Private to api/ (http_server.cc and the tests).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace expectmatch::api {

class RequestGate {
 public:
  // REQUIRES: slots >= 1.
  explicit RequestGate(size_t slots) : slots_(slots), free_(slots) {}
  RequestGate(const RequestGate&) = delete;
  RequestGate& operator=(const RequestGate&) = delete;

  // Holds one slot from construction to destruction.
  class Slot {
   public:
    explicit Slot(RequestGate& gate) : gate_(gate) { gate_.Enter(); }
    ~Slot() { gate_.Leave(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    RequestGate& gate_;
  };

  size_t slots() const { return slots_; }
  // Threads waiting for a slot now (for /metrics and the tests).
  size_t waiting() const {
    std::lock_guard lock(mutex_);
    return waiters_.size();
  }

 private:
  struct Waiter {
    std::condition_variable wake;
    bool admitted = false;
  };

  void Enter() {
    std::unique_lock lock(mutex_);
    if (free_ > 0) {  // a free slot means nobody waits: Leave hands slots to waiters directly
      --free_;
      return;
    }
    Wait(lock);
  }
  // Out of line so that a profile names the time spent waiting for a slot.
  [[gnu::noinline]] void Wait(std::unique_lock<std::mutex>& lock) {
    Waiter self;
    waiters_.push_back(&self);
    self.wake.wait(lock, [&] { return self.admitted; });
  }
  // Hands the slot to the longest waiter (FIFO), or frees it.
  void Leave() {
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
      ++free_;
      return;
    }
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->admitted = true;
    next->wake.notify_one();
  }

  const size_t slots_;
  mutable std::mutex mutex_;
  size_t free_;
  std::deque<Waiter*> waiters_;
};

}  // namespace expectmatch::api
