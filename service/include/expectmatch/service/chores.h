// Periodic chores of the service: one thread that runs a list of tasks at start and then every
// interval (a minute by default), each given today's date, e.g. the mission-report reminders
// (reminders.h). Tasks are added before Start; one that throws is logged and the others still
// run. Thread-safety: Add before Start; RunOnce, Start and Stop from one owner thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace expectmatch::service {

class Chores {
 public:
  using Task = std::function<void(const std::string& today)>;

  // `today` gives the date the tasks see ("2026-11-30"; default: UTC today).
  explicit Chores(std::chrono::milliseconds interval = std::chrono::minutes(1),
                  std::function<std::string()> today = nullptr);
  ~Chores();  // stops the thread
  Chores(const Chores&) = delete;
  Chores& operator=(const Chores&) = delete;

  void Add(Task task);
  // Runs every task once with today(), in the order added.
  void RunOnce();
  // A pass at once, then one every interval, until Stop (which waits for the pass under way).
  void Start();
  void Stop();

 private:
  std::chrono::milliseconds interval_;
  std::function<std::string()> today_;
  std::vector<Task> tasks_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace expectmatch::service
