#include "expectmatch/service/ranking_log.h"

#include <cstdio>
#include <vector>

namespace expectmatch::service {

RankingLog::RankingLog(store::Store& store, size_t max_queue)
    : store_(store), max_queue_(max_queue), writer_([this] { Run(); }) {}

RankingLog::~RankingLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void RankingLog::Record(store::RankingLogRow row) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= max_queue_) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(row));
    ++queued_total_;
  }
  wake_.notify_one();
}

void RankingLog::Flush() {
  std::unique_lock lock(mutex_);
  const size_t target = queued_total_;
  wake_.notify_one();
  written_.wait(lock, [&] { return written_total_ >= target; });
}

size_t RankingLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void RankingLog::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
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
    written_.notify_all();
  }
}

}  // namespace expectmatch::service
