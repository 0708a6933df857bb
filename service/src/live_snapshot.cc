#include "expectmatch/service/live_snapshot.h"

#include <cstdio>
#include <exception>

namespace expectmatch::service {

LiveSnapshot::LiveSnapshot(store::Store& store, std::shared_ptr<const Snapshot> snapshot,
                           std::chrono::milliseconds refresh_interval)
    : store_(store),
      snapshot_(std::move(snapshot)),
      interval_(refresh_interval),
      generation_(store.Generation()) {
  if (interval_.count() > 0) refresher_ = std::thread([this] { Run(); });
}

LiveSnapshot::~LiveSnapshot() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

bool LiveSnapshot::Refresh() const {
  std::lock_guard lock(refresh_mutex_);
  const uint64_t generation = store_.Generation();
  if (generation == generation_) return false;
  datasets::LoadResult loaded = LoadFromStore(store_);
  if (!loaded.ok()) {
    // Writes are validated before they are stored, so this means someone edited the database
    // by hand: keep serving the last good snapshot.
    std::fprintf(stderr, "snapshot not rebuilt, the database holds an invalid data set: %s\n",
                 loaded.errors.front().c_str());
    generation_ = generation;
    return false;
  }
  std::atomic_store(&snapshot_, std::make_shared<const Snapshot>(std::move(loaded.dataset),
                                                                ReadPartnerRecords(store_)));
  generation_ = generation;
  return true;
}

void LiveSnapshot::RequestRefresh() const {
  {
    std::lock_guard lock(wake_mutex_);
    wake_requested_ = true;
  }
  wake_.notify_one();
}

void LiveSnapshot::Run() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [&] { return stopping_ || wake_requested_; });
    if (stopping_) return;
    wake_requested_ = false;
    lock.unlock();
    try {
      Refresh();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "snapshot refresh failed: %s\n", e.what());
    }
    lock.lock();
  }
}

}  // namespace expectmatch::service
