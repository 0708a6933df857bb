// Feature logging: every served ranking is recorded (request id, time, profile and version, the
// effective weights and options, the need, the returned candidates with the feature values that
// ranked them) so that tuning can join it with decisions and outcomes later.
//
// A stored need is kept by reference: its id and the SHA-256 of its document as ranked
// (NeedDigest); only an inline need is kept whole. Tuning resolves a stored need from the store
// and tells, by the hash, whether it changed since it was ranked.
//
// Rows are queued and written by one background thread in batches (one transaction each), so
// that logging adds no disk wait to a match. A batch is written `linger` after its first row, or
// as soon as it holds `batch_rows` rows: a busy server commits (and fsyncs) a few times a second
// instead of once or twice per request, each commit costing about as much as a row. The rows a
// crash loses are those of the last `linger`, at most. The queue is bounded: when the disk falls behind
// by more than `max_queue` rows, new rows are dropped and counted (dropped()). The same thread
// enforces the retention: at start and every `trim_every`, it removes the rows older than
// `retention_days` and, oldest first, those beyond `max_bytes`, in short transactions between
// which requests' writes go on. Flush() and the destructor write what is queued. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "expectmatch/matcher/model.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// SHA-256 (hex) of the need's canonical document (datasets::Encode) without its lifecycle state
// (status, selected), as logged for a stored need.
std::string NeedDigest(const matcher::Need& need);
// NeedDigest of a stored need's document; empty when it does not decode.
std::string StoredNeedDigest(const std::string& document);

struct RankingLogOptions {
  size_t max_queue = 10000;
  int retention_days = 400;  // rows older are removed; 0: kept for ever
  size_t max_bytes = 0;      // the log's rows beyond it are removed, oldest first; 0: no cap
  std::chrono::milliseconds trim_every{std::chrono::minutes(1)};
  std::chrono::milliseconds linger{100};  // 0: each batch is written as soon as the writer wakes
  size_t batch_rows = 1000;
};

class RankingLog {
 public:
  explicit RankingLog(store::Store& store, RankingLogOptions options = {});
  ~RankingLog();
  RankingLog(const RankingLog&) = delete;
  RankingLog& operator=(const RankingLog&) = delete;

  void Record(store::RankingLogRow row);
  // Blocks until every row recorded before the call is written.
  void Flush();
  // Applies the retention now, on the caller's thread; returns the rows removed.
  size_t Trim();
  size_t dropped() const;
  size_t trimmed() const;  // rows removed by the retention since the start
  size_t batches() const;  // transactions the writer committed since the start

 private:
  void Run();

  store::Store& store_;
  const RankingLogOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, written_;
  std::deque<store::RankingLogRow> queue_;
  size_t queued_total_ = 0, written_total_ = 0, dropped_ = 0, trimmed_ = 0, batches_ = 0;
  size_t flush_target_ = 0;  // Flush() waits for the rows up to this count: written at once
  std::chrono::steady_clock::time_point first_queued_;  // of the rows in queue_
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace expectmatch::service
