#include "expectmatch/service/chores.h"

#include <cstdio>
#include <exception>

#include "expectmatch/service/clock.h"

namespace expectmatch::service {

Chores::Chores(std::chrono::milliseconds interval, std::function<std::string()> today)
    : interval_(interval), today_(std::move(today)) {
  if (!today_) today_ = [] { return Today(); };
}

Chores::~Chores() { Stop(); }

void Chores::Add(Task task) { tasks_.push_back(std::move(task)); }

void Chores::RunOnce() {
  const std::string today = today_();
  for (const Task& task : tasks_) {
    try {
      task(today);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: chore: %s\n", e.what());
    }
  }
}

void Chores::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      RunOnce();
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  });
}

void Chores::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace expectmatch::service
