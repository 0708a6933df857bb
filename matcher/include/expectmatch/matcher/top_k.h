// Keeps the best k of a stream of scored rows: score descending, then tie rank ascending.
//
// Separate from scoring, so the same scan can feed it or a diversity-capped selection.
// Not thread-safe (one per ranking).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace expectmatch::matcher {

struct ScoredRow {
  double score = 0.0;
  uint32_t tie = 0;  // smaller wins among equal scores (the id rank)
  uint32_t row = 0;
};

// True when `a` ranks before `b`.
inline bool RanksBefore(const ScoredRow& a, const ScoredRow& b) {
  return a.score > b.score || (a.score == b.score && a.tie < b.tie);
}

class TopK {
 public:
  explicit TopK(size_t k) : k_(k) { heap_.reserve(k); }

  void Push(const ScoredRow& entry) {
    if (k_ == 0) return;
    if (heap_.size() < k_) {
      heap_.push_back(entry);
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore);  // worst kept on top
    } else if (RanksBefore(entry, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), RanksBefore);
      heap_.back() = entry;
      std::push_heap(heap_.begin(), heap_.end(), RanksBefore);
    }
  }

  // The kept rows, best first. Leaves the collector empty.
  std::vector<ScoredRow> TakeSorted() {
    std::sort(heap_.begin(), heap_.end(), RanksBefore);
    return std::move(heap_);
  }

 private:
  size_t k_;
  std::vector<ScoredRow> heap_;
};

}  // namespace expectmatch::matcher
