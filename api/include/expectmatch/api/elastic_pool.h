// The transport's worker threads. Private to api/ (the connection loop in
// api/src/connection_guard.h and connection_parker.h, and the tests).
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace expectmatch::api {

// A task queue with `min` workers that grows up to `max` workers, two ways:
// - kWhenBusy: whenever more jobs wait than workers are idle. For httplib's accept loop, whose
//   jobs are connections: a worker blocked on a slow client never delays a new connection.
// - kWhenStalled: only when jobs wait and no worker has taken one for `grow_after` (checked on
//   each enqueue and by GrowIfStalled). For short jobs (one request each) a queue is normal
//   under load, even a long wait on a busy machine, and a worker more would only be one more
//   thread for the request gate to put to sleep; workers that take no job for that long are
//   held by slow clients.
// Workers above `min` leave after 30 s without work.
class ElasticPool {
 public:
  enum class Growth { kWhenBusy, kWhenStalled };
  using Clock = std::chrono::steady_clock;

  ElasticPool(size_t min, size_t max, Growth growth = Growth::kWhenBusy,
              Clock::duration grow_after = std::chrono::milliseconds(20))
      : min_(std::max<size_t>(min, 1)),
        max_(std::max(max, std::max<size_t>(min, 1))),
        growth_(growth),
        grow_after_(grow_after) {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < min_; ++i) SpawnLocked();
  }
  ~ElasticPool() { shutdown(); }
  ElasticPool(const ElasticPool&) = delete;
  ElasticPool& operator=(const ElasticPool&) = delete;

  void enqueue(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    jobs_.push_back({std::move(fn), Clock::now()});
    if (growth_ == Growth::kWhenBusy ? jobs_.size() > idle_ : StalledLocked()) SpawnLocked();
    wake_.notify_one();
  }

  // Queues `fn` behind the jobs waiting, if any wait (true); false, queuing nothing, when none
  // does or the pool is shutting down.
  bool EnqueueIfOthersWait(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    if (jobs_.empty() || stopping_) return false;
    jobs_.push_back({std::move(fn), Clock::now()});
    wake_.notify_one();
    return true;
  }

  // Adds a worker when the oldest job has waited too long (kWhenStalled).
  void GrowIfStalled() {
    std::lock_guard lock(mutex_);
    if (StalledLocked()) SpawnLocked();
  }

  // Queued jobs still run; the workers leave once the queue is empty.
  void shutdown() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    wake_.notify_all();
    done_.wait(lock, [this] { return live_ == 0; });
  }

  // Workers now, for the tests.
  size_t workers() const {
    std::lock_guard lock(mutex_);
    return live_;
  }

 private:
  struct Job {
    std::function<void()> run;
    Clock::time_point queued;
  };

  bool StalledLocked() const {
    if (live_ >= max_ || jobs_.empty()) return false;
    const Clock::time_point progress = std::max(jobs_.front().queued, last_taken_);
    return Clock::now() - progress >= grow_after_;
  }

  void SpawnLocked() {
    if (live_ >= max_) return;
    ++live_;
    std::thread([this] { Work(); }).detach();
  }

  void Work() {
    std::unique_lock lock(mutex_);
    while (true) {
      ++idle_;
      bool woke = wake_.wait_for(lock, std::chrono::seconds(30),
                                 [this] { return !jobs_.empty() || stopping_; });
      --idle_;
      if (jobs_.empty() && (stopping_ || (!woke && live_ > min_))) break;
      if (jobs_.empty()) continue;
      std::function<void()> job = std::move(jobs_.front().run);
      jobs_.pop_front();
      last_taken_ = Clock::now();
      lock.unlock();
      job();
      job = nullptr;
      lock.lock();
    }
    --live_;
    done_.notify_all();
  }

  const size_t min_, max_;
  const Growth growth_;
  const Clock::duration grow_after_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<Job> jobs_;
  size_t live_ = 0, idle_ = 0;
  bool stopping_ = false;
  Clock::time_point last_taken_{};  // when a worker last took a job
};

}  // namespace expectmatch::api
