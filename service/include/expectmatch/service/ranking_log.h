// Feature logging: every served ranking is recorded (request id, time, profile and version,
// need, returned candidates with the feature values that ranked them) so that tuning can join
// it with decisions and outcomes later.
//
// Rows are queued and written by one background thread in batches (one transaction each), so
// that logging adds no disk wait to a match. The queue is bounded: when the disk falls behind
// by more than `max_queue` rows, new rows are dropped and counted (dropped()). Flush() and the
// destructor write what is queued. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>

#include "expectmatch/store/store.h"

namespace expectmatch::service {

class RankingLog {
 public:
  explicit RankingLog(store::Store& store, size_t max_queue = 10000);
  ~RankingLog();
  RankingLog(const RankingLog&) = delete;
  RankingLog& operator=(const RankingLog&) = delete;

  void Record(store::RankingLogRow row);
  // Blocks until every row recorded before the call is written.
  void Flush();
  size_t dropped() const;

 private:
  void Run();

  store::Store& store_;
  const size_t max_queue_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, written_;
  std::deque<store::RankingLogRow> queue_;
  size_t queued_total_ = 0, written_total_ = 0, dropped_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace expectmatch::service
