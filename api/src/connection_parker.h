// Keep-alive connections between two requests, parked in one epoll set instead of each
// holding a thread. Private to http_server.cc (through connection_guard.h).
//
// cpp-httplib serves a connection on one thread, which sleeps in poll() between the
// connection's requests, and the request gate then puts most of those threads to sleep once
// more, each woken by a context switch of its own: with 64 busy connections, the two wake-ups
// cost a request more server CPU than the ranking (bench/README.md, "Connections parked
// between requests"). Here a connection whose next request has not arrived is handed to the
// parker, whose one thread waits for all of them in epoll_wait; a connection whose request
// arrives is queued to a few workers (ElasticPool, kWhenStalled), which under load go from one
// request to the next without sleeping. A connection whose next request arrived while its last
// one was served goes behind the connections already waiting (YieldIfOthersWait): workers
// take requests in the order they arrived, and no client keeps a worker for a run of requests
// while the others wait. The parker also closes a connection idle for the
// keep-alive timeout, and every parked connection when it is stopped (once the server's accept
// loop has ended).
#pragma once

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "expectmatch/api/elastic_pool.h"

namespace expectmatch::api::internal {

template <typename Connection>
class ConnectionParker {
 public:
  using Clock = std::chrono::steady_clock;
  struct Callbacks {
    std::function<void(Connection*)> serve;  // on a worker, once the connection is readable
    std::function<void(Connection*)> close;  // closes and frees an idle connection
  };

  ConnectionParker(Callbacks callbacks, std::chrono::seconds keep_alive, size_t workers,
                   size_t max_workers)
      : callbacks_(std::move(callbacks)),
        keep_alive_(keep_alive),
        pool_(workers, max_workers, ElasticPool::Growth::kWhenStalled),
        epoll_(epoll_create1(EPOLL_CLOEXEC)),
        wake_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (epoll_ < 0 || wake_ < 0) {
      std::perror("connection parker");
      stopped_ = true;  // connections are then closed after each request
      return;
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr;  // the stop signal
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
    thread_ = std::thread([this] { Run(); });
  }
  ~ConnectionParker() {
    Stop();
    if (epoll_ >= 0) ::close(epoll_);
    if (wake_ >= 0) ::close(wake_);
  }
  ConnectionParker(const ConnectionParker&) = delete;
  ConnectionParker& operator=(const ConnectionParker&) = delete;

  // Takes `connection` (its socket `fd`, nothing to read yet) until its next request arrives:
  // false once the parker is stopped, when the caller keeps it (and closes it). The caller
  // must not touch the connection after a true.
  bool Park(int fd, Connection* connection) {
    std::lock_guard lock(mutex_);
    if (stopped_) return false;
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    event.data.ptr = connection;
    // A connection parked before is still in the set, disarmed (one-shot): re-armed.
    if (epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &event) != 0 &&
        epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0)
      return false;
    parked_[connection] = Clock::now();
    return true;
  }

  // Queues `connection`, whose next request has arrived, behind the connections waiting for a
  // worker, when some wait (true: the caller must not touch it any more); false when none
  // waits (the caller serves it on) or the parker is stopping.
  bool YieldIfOthersWait(Connection* connection) {
    {
      std::lock_guard lock(mutex_);
      if (stopped_ || stop_requested_) return false;
    }
    return pool_.EnqueueIfOthersWait([this, connection] { callbacks_.serve(connection); });
  }

  // Closes the parked connections, lets the workers finish the requests they serve (the
  // connections are then closed, not parked), and returns when no worker is left.
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stop_requested_ = true;
    }
    if (wake_ >= 0) {
      const uint64_t one = 1;
      [[maybe_unused]] ssize_t written = ::write(wake_, &one, sizeof one);
    }
    if (thread_.joinable()) thread_.join();
    pool_.shutdown();
  }

 private:
  void Run() {
    epoll_event events[64];
    auto swept = Clock::now();
    while (true) {
      const int n = epoll_wait(epoll_, events, 64, 100);
      std::lock_guard lock(mutex_);
      if (stop_requested_) break;
      for (int i = 0; i < n; ++i) {
        auto* connection = static_cast<Connection*>(events[i].data.ptr);
        if (connection == nullptr || parked_.erase(connection) == 0) continue;
        pool_.enqueue([this, connection] { callbacks_.serve(connection); });
      }
      const auto now = Clock::now();
      if (now - swept >= std::chrono::milliseconds(100)) {
        swept = now;
        for (auto it = parked_.begin(); it != parked_.end();) {
          if (now - it->second < keep_alive_) {
            ++it;
            continue;
          }
          callbacks_.close(it->first);
          it = parked_.erase(it);
        }
        pool_.GrowIfStalled();
      }
    }
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (const auto& [connection, since] : parked_) callbacks_.close(connection);
    parked_.clear();
  }

  const Callbacks callbacks_;
  const Clock::duration keep_alive_;
  ElasticPool pool_;
  const int epoll_;
  const int wake_;
  std::mutex mutex_;
  std::unordered_map<Connection*, Clock::time_point> parked_;
  bool stopped_ = false;
  bool stop_requested_ = false;
  std::thread thread_;
};

}  // namespace expectmatch::api::internal
