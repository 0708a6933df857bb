#include "expectmatch/service/ranking_log.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"

namespace expectmatch::service {
namespace {

// Trimming goes by chunks of this many rows, each its own short transaction; a pass of the
// writer thread removes at most kChunksPerPass of them before it writes the queue again.
constexpr size_t kChunk = 500;
constexpr size_t kChunksPerPass = 20;

// RFC 3339 UTC time `days` days ago, as the log's served_at ("2026-11-28T10:00:00Z").
std::string Rfc3339DaysAgo(int days) {
  const std::time_t then = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()) -
                           static_cast<std::time_t>(days) * 86400;
  std::tm utc{};
  gmtime_r(&then, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace

std::string NeedDigest(const matcher::Need& need) {
  // The content ranked, not the lifecycle: a decision (status, selected) is no change of the need.
  datasets::Json doc = datasets::Encode(need);
  doc.erase("status");
  doc.erase("selected");
  return HashSecret(doc.dump());
}

std::string StoredNeedDigest(const std::string& document) {
  datasets::Json doc = datasets::Json::parse(document, nullptr, false);
  if (doc.is_discarded()) return "";
  datasets::FieldErrors errors;
  std::optional<matcher::Need> need =
      datasets::DecodeNeed(doc, datasets::FieldPath(), datasets::References{}, &errors);
  return need ? NeedDigest(*need) : "";
}

RankingLog::RankingLog(store::Store& store, RankingLogOptions options)
    : store_(store), options_(options), writer_([this] { Run(); }) {}

RankingLog::~RankingLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void RankingLog::Record(store::RankingLogRow row) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queue) {
      ++dropped_;
      return;
    }
    if (queue_.empty()) first_queued_ = std::chrono::steady_clock::now();
    queue_.push_back(std::move(row));
    ++queued_total_;
    // The writer is woken by a batch's first row (it then sleeps until the batch is due) and
    // by a full batch; the rows in between cost no wake-up.
    wake = queue_.size() == 1 || queue_.size() == options_.batch_rows;
  }
  if (wake) wake_.notify_one();
}

void RankingLog::Flush() {
  std::unique_lock lock(mutex_);
  const size_t target = queued_total_;
  flush_target_ = std::max(flush_target_, target);
  wake_.notify_one();
  written_.wait(lock, [&] { return written_total_ >= target; });
}

size_t RankingLog::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

size_t RankingLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

size_t RankingLog::trimmed() const {
  std::lock_guard lock(mutex_);
  return trimmed_;
}

size_t RankingLog::Trim() {
  size_t removed = 0;
  if (options_.retention_days <= 0 && options_.max_bytes == 0) return removed;
  const std::string cutoff =
      options_.retention_days > 0 ? Rfc3339DaysAgo(options_.retention_days) : "";
  while (true) {
    store::RankingLogTrim trim = store_.TrimRankingLog(cutoff, options_.max_bytes, kChunk);
    removed += trim.rows;
    if (trim.rows < kChunk) break;
  }
  std::lock_guard lock(mutex_);
  trimmed_ += removed;
  return removed;
}

void RankingLog::Run() {
  const bool retention = options_.retention_days > 0 || options_.max_bytes > 0;
  auto next_trim = std::chrono::steady_clock::now();  // once at start
  std::unique_lock lock(mutex_);
  while (true) {
    if (retention) {
      wake_.wait_until(lock, next_trim, [&] { return stopping_ || !queue_.empty(); });
    } else {
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    }
    if (queue_.empty() && stopping_) return;
    // A batch waits for its linger to end, unless it is full, flushed or the log stops.
    const auto batch_due = [&] {
      return stopping_ || queue_.size() >= options_.batch_rows || flush_target_ > written_total_ ||
             std::chrono::steady_clock::now() >= first_queued_ + options_.linger;
    };
    if (!queue_.empty() && !batch_due()) {
      wake_.wait_until(lock, first_queued_ + options_.linger, batch_due);
    }
    if (!queue_.empty()) {
      std::vector<store::RankingLogRow> batch(std::make_move_iterator(queue_.begin()),
                                              std::make_move_iterator(queue_.end()));
      queue_.clear();
      lock.unlock();
      try {
        store_.AppendRankingLog(batch);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "ranking log: %zu rows lost: %s\n", batch.size(), e.what());
      }
      lock.lock();
      written_total_ += batch.size();
      ++batches_;
      written_.notify_all();
    }
    if (retention && !stopping_ && std::chrono::steady_clock::now() >= next_trim) {
      // A bounded pass, so that a large backlog does not hold the queue back; the next pass
      // comes at once when rows remain to remove.
      lock.unlock();
      const std::string now_cutoff =
          options_.retention_days > 0 ? Rfc3339DaysAgo(options_.retention_days) : "";
      size_t removed = 0;
      bool more = false;
      try {
        for (size_t pass = 0; pass < kChunksPerPass; ++pass) {
          store::RankingLogTrim trim =
              store_.TrimRankingLog(now_cutoff, options_.max_bytes, kChunk);
          removed += trim.rows;
          more = trim.rows == kChunk;
          if (!more) break;
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "ranking log: retention not applied: %s\n", e.what());
      }
      lock.lock();
      trimmed_ += removed;
      next_trim = std::chrono::steady_clock::now() +
                  (more ? std::chrono::milliseconds(0) : options_.trim_every);
    }
  }
}

}  // namespace expectmatch::service
