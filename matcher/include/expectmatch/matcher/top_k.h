// Collectors of scored rows: one scan over the candidates feeds whichever collector the
// ranking needs, each keeping its own selection.
//
// - TopK: the best k rows.
// - CappedTopK: the best k rows taking at most `cap` rows of any one group (the French région
//   in RankNeed), chosen greedily down the ranking; the rows passed over are counted.
//
// Both have the same shape: Push every row, then TakeSorted once; skipped() afterwards. Rows
// rank by score descending, then tie rank ascending (RanksBefore). Ties must be distinct among
// the pushed rows (RankNeed uses the authority's id rank) so that the selection and its order
// depend only on the rows, never on the order they were pushed in.
// Not thread-safe (one per ranking).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <unordered_map>
#include <utility>
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

  // Rows passed over for a cap: never any.
  size_t skipped() const { return 0; }

 private:
  size_t k_;
  std::vector<ScoredRow> heap_;
};

// `GroupOf` maps a row (ScoredRow::row) to its group key, a value std::hash and == accept
// (e.g. a std::string_view that outlives the collector). Taking the rows down the ranking, a
// row whose group already has `cap` rows taken is skipped, until k rows are taken or none is
// left; skipped() counts the rows skipped before that point, so rows ranked after the k-th
// taken one are not counted. With cap 0 every row is skipped.
template <typename GroupOf>
class CappedTopK {
 public:
  CappedTopK(size_t k, size_t cap, GroupOf group_of)
      : k_(k), cap_(cap), group_of_(std::move(group_of)) {}

  void Push(const ScoredRow& entry) {
    if (k_ > 0) rows_.push_back(entry);
  }

  // The taken rows, best first. Leaves the collector empty.
  std::vector<ScoredRow> TakeSorted() {
    // A heap with the best row on top: only the rows down to the k-th taken are ordered.
    auto ranks_after = [](const ScoredRow& a, const ScoredRow& b) { return RanksBefore(b, a); };
    std::make_heap(rows_.begin(), rows_.end(), ranks_after);
    std::vector<ScoredRow> taken;
    taken.reserve(std::min(k_, rows_.size()));
    std::unordered_map<Key, size_t> per_group;
    for (auto end = rows_.end(); end != rows_.begin() && taken.size() < k_; --end) {
      std::pop_heap(rows_.begin(), end, ranks_after);
      const ScoredRow& entry = *(end - 1);
      size_t& count = per_group[group_of_(entry.row)];
      if (count >= cap_) {
        ++skipped_;
        continue;
      }
      ++count;
      taken.push_back(entry);
    }
    rows_.clear();
    return taken;
  }

  // Rows skipped for the cap by TakeSorted.
  size_t skipped() const { return skipped_; }

 private:
  using Key = std::decay_t<std::invoke_result_t<GroupOf&, uint32_t>>;

  size_t k_;
  size_t cap_;
  GroupOf group_of_;
  std::vector<ScoredRow> rows_;
  size_t skipped_ = 0;
};

}  // namespace expectmatch::matcher
