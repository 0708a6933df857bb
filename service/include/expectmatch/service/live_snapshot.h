// The snapshot the service ranks against, kept up to date with the store.
//
// A background thread compares the store's data generation with the one the current snapshot
// was built from every `refresh_interval` (and at once after RequestRefresh()), rebuilds the
// catalogue when they differ and swaps it in atomically, so writes by this process or by another
// (such as `expectmatch import`) arrive the same way. Readers keep the snapshot they took.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

class LiveSnapshot {
 public:
  // `store` must outlive this object. A zero `refresh_interval` starts no thread (call Refresh()
  // yourself).
  LiveSnapshot(store::Store& store, std::shared_ptr<const Snapshot> snapshot,
               std::chrono::milliseconds refresh_interval);
  ~LiveSnapshot();
  LiveSnapshot(const LiveSnapshot&) = delete;
  LiveSnapshot& operator=(const LiveSnapshot&) = delete;

  std::shared_ptr<const Snapshot> current() const { return std::atomic_load(&snapshot_); }
  // Rebuilds the snapshot when the store's data changed since the current one was built; true
  // when it did. Serialised.
  bool Refresh() const;
  // Wakes the refresher (after a write) without waiting for it.
  void RequestRefresh() const;

 private:
  void Run();

  store::Store& store_;
  mutable std::shared_ptr<const Snapshot> snapshot_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex refresh_mutex_;  // serialises rebuilds
  mutable uint64_t generation_ = 0;
  mutable std::mutex wake_mutex_;
  mutable std::condition_variable wake_;
  mutable bool wake_requested_ = false;
  bool stopping_ = false;
  std::thread refresher_;
};

}  // namespace expectmatch::service
