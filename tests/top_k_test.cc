// The collectors of scored rows (matcher/top_k.h), on hand-made rows: TopK and the
// group-capped CappedTopK that RankNeed uses for the région cap.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/top_k.h"

namespace expectmatch::matcher {
namespace {

// The rows' `row` fields, in the order given.
std::vector<uint32_t> Rows(const std::vector<ScoredRow>& rows) {
  std::vector<uint32_t> out;
  for (const ScoredRow& r : rows) out.push_back(r.row);
  return out;
}

template <typename Collector>
std::vector<ScoredRow> Collect(Collector& collector, const std::vector<ScoredRow>& rows) {
  for (const ScoredRow& r : rows) collector.Push(r);
  return collector.TakeSorted();
}

std::vector<ScoredRow> TopOf(size_t k, const std::vector<ScoredRow>& rows) {
  TopK top(k);
  return Collect(top, rows);
}

// Six rows; row r has tie rank 10 − r, so among equal scores the higher row wins.
//   row:   0    1    2    3    4    5
//   score: 0.5  0.9  0.5  0.1  0.9  0.7
// Ranking: 4 (0.9, tie 6), 1 (0.9, tie 9), 5 (0.7), 2 (0.5, tie 8), 0 (0.5, tie 10), 3 (0.1).
std::vector<ScoredRow> SixRows() {
  const double scores[] = {0.5, 0.9, 0.5, 0.1, 0.9, 0.7};
  std::vector<ScoredRow> rows;
  for (uint32_t r = 0; r < 6; ++r) rows.push_back({scores[r], 10 - r, r});
  return rows;
}
const std::vector<uint32_t> kSixRanked = {4, 1, 5, 2, 0, 3};

TEST(TopK, ZeroKeepsNothing) { EXPECT_TRUE(TopOf(0, SixRows()).empty()); }

TEST(TopK, NoRowsGiveNothing) { EXPECT_TRUE(TopOf(3, {}).empty()); }

TEST(TopK, KLargerThanTheRowsKeepsThemAllBestFirst) {
  EXPECT_EQ(Rows(TopOf(100, SixRows())), kSixRanked);
  EXPECT_EQ(Rows(TopOf(6, SixRows())), kSixRanked);
}

TEST(TopK, KeepsTheBestKBestFirst) {
  EXPECT_EQ(Rows(TopOf(3, SixRows())), (std::vector<uint32_t>{4, 1, 5}));
  EXPECT_EQ(Rows(TopOf(1, SixRows())), (std::vector<uint32_t>{4}));
  const std::vector<ScoredRow> top = TopOf(3, SixRows());
  EXPECT_EQ(top[0].score, 0.9);
  EXPECT_EQ(top[0].tie, 6u);
  EXPECT_EQ(top[2].score, 0.7);
}

TEST(TopK, EqualScoresBreakOnTheSmallerTieRank) {
  // Three equal scores: ties 7, 3, 5 → rows 1 (3), 2 (5), then 0 (7).
  std::vector<ScoredRow> rows = {{0.4, 7, 0}, {0.4, 3, 1}, {0.4, 5, 2}};
  EXPECT_EQ(Rows(TopOf(3, rows)), (std::vector<uint32_t>{1, 2, 0}));
  // At the cut, the smaller tie rank stays in.
  EXPECT_EQ(Rows(TopOf(2, rows)), (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(Rows(TopOf(1, rows)), (std::vector<uint32_t>{1}));
}

TEST(TopK, ScoreWinsOverTieRank) {
  std::vector<ScoredRow> rows = {{0.3, 0, 0}, {0.8, 99, 1}};
  EXPECT_EQ(Rows(TopOf(1, rows)), (std::vector<uint32_t>{1}));
}

TEST(TopK, ResultDoesNotDependOnInsertionOrder) {
  std::vector<ScoredRow> rows = SixRows();
  std::mt19937 rng(3);
  for (int shuffle = 0; shuffle < 50; ++shuffle) {
    std::shuffle(rows.begin(), rows.end(), rng);
    for (size_t k = 0; k <= 7; ++k) {
      const std::vector<uint32_t> want(
          kSixRanked.begin(), kSixRanked.begin() + static_cast<long>(std::min<size_t>(k, 6)));
      EXPECT_EQ(Rows(TopOf(k, rows)), want) << "k " << k << ", shuffle " << shuffle;
    }
  }
}

TEST(TopK, NeverSkipsAnything) {
  TopK top(2);
  Collect(top, SixRows());
  EXPECT_EQ(top.skipped(), 0u);
}

// ---------------------------------------------------------------------------------------------
// CappedTopK: groups by row, as RankNeed groups eligible rows by région.

// The group of each row of SixRows(): rows 4, 1 and 2 in "Bretagne", 5 and 0 in "Corse",
// 3 in "Guyane". Ranked: 4 B, 1 B, 5 C, 2 B, 0 C, 3 G.
std::string_view SixGroup(uint32_t row) {
  static const char* const kGroups[] = {"Corse",  "Bretagne", "Bretagne",
                                        "Guyane", "Bretagne", "Corse"};
  return kGroups[row];
}

struct Capped {
  std::vector<uint32_t> rows;
  size_t skipped = 0;
};

Capped CapOf(size_t k, size_t cap, const std::vector<ScoredRow>& rows,
             std::string_view (*group)(uint32_t) = SixGroup) {
  CappedTopK capped(k, cap, group);
  Capped out;
  out.rows = Rows(Collect(capped, rows));
  out.skipped = capped.skipped();
  return out;
}

TEST(TopK, CapReachedSkipsTheGroupsNextRows) {
  // Cap 1: 4 (B), 1 skipped (B full), 5 (C), 2 skipped, 0 skipped, 3 (G).
  Capped one = CapOf(10, 1, SixRows());
  EXPECT_EQ(one.rows, (std::vector<uint32_t>{4, 5, 3}));
  EXPECT_EQ(one.skipped, 3u);
  // Cap 2: 4, 1 (B full), 5, 2 skipped, 0 (C full), 3.
  Capped two = CapOf(10, 2, SixRows());
  EXPECT_EQ(two.rows, (std::vector<uint32_t>{4, 1, 5, 0, 3}));
  EXPECT_EQ(two.skipped, 1u);
}

TEST(TopK, CapCountsOnlyTheRowsSkippedBeforeTheKthTaken) {
  // k 2, cap 1: 4 taken, 1 skipped, 5 taken: the rows after 5 are not looked at.
  Capped capped = CapOf(2, 1, SixRows());
  EXPECT_EQ(capped.rows, (std::vector<uint32_t>{4, 5}));
  EXPECT_EQ(capped.skipped, 1u);
  // k 3, cap 1: 4, [1], 5, [2], [0], 3.
  capped = CapOf(3, 1, SixRows());
  EXPECT_EQ(capped.rows, (std::vector<uint32_t>{4, 5, 3}));
  EXPECT_EQ(capped.skipped, 3u);
  // k 1: the best row, nothing skipped.
  capped = CapOf(1, 1, SixRows());
  EXPECT_EQ(capped.rows, (std::vector<uint32_t>{4}));
  EXPECT_EQ(capped.skipped, 0u);
}

TEST(TopK, CapAboveEveryGroupsSizeIsTheTopK) {
  for (size_t k = 0; k <= 7; ++k) {
    Capped capped = CapOf(k, 3, SixRows());
    EXPECT_EQ(capped.rows, Rows(TopOf(k, SixRows()))) << "k " << k;
    EXPECT_EQ(capped.skipped, 0u);
  }
}

TEST(TopK, CapWithZeroKTakesAndSkipsNothing) {
  Capped capped = CapOf(0, 1, SixRows());
  EXPECT_TRUE(capped.rows.empty());
  EXPECT_EQ(capped.skipped, 0u);
}

std::string_view AlphaMidZeta(uint32_t row) {
  static const char* const kGroups[] = {"Corse", "Bretagne", "Bretagne"};
  return kGroups[row];
}

TEST(TopK, CapWithTiesKeepsTheSmallerTieRankOfAGroup) {
  // Three equal scores; the two Bretagne rows tie on score, so the smaller tie rank (row 1)
  // takes the group's place and row 2 is skipped, as zeta/alpha/mid in the ranker's test.
  std::vector<ScoredRow> rows = {{0.5, 2, 0}, {0.5, 0, 1}, {0.5, 1, 2}};
  Capped capped = CapOf(10, 1, rows, AlphaMidZeta);
  EXPECT_EQ(capped.rows, (std::vector<uint32_t>{1, 0}));
  EXPECT_EQ(capped.skipped, 1u);
  // Same rows, the other Bretagne row first in tie rank.
  rows = {{0.5, 2, 0}, {0.5, 1, 1}, {0.5, 0, 2}};
  capped = CapOf(10, 1, rows, AlphaMidZeta);
  EXPECT_EQ(capped.rows, (std::vector<uint32_t>{2, 0}));
  EXPECT_EQ(capped.skipped, 1u);
}

TEST(TopK, CapResultDoesNotDependOnInsertionOrder) {
  std::vector<ScoredRow> rows = SixRows();
  std::mt19937 rng(5);
  for (int shuffle = 0; shuffle < 50; ++shuffle) {
    std::shuffle(rows.begin(), rows.end(), rng);
    Capped capped = CapOf(10, 1, rows);
    EXPECT_EQ(capped.rows, (std::vector<uint32_t>{4, 5, 3})) << "shuffle " << shuffle;
    EXPECT_EQ(capped.skipped, 3u);
  }
}

TEST(TopK, CapMatchesAGreedyPassOverTheFullySortedRows) {
  // Random rows with many equal scores, against the plain definition: sort everything, take
  // greedily. Tie ranks are distinct, as the id ranks RankNeed uses.
  std::mt19937 rng(11);
  const char* const groups[] = {"a", "b", "c", "d"};
  for (int round = 0; round < 200; ++round) {
    const uint32_t n = 1 + static_cast<uint32_t>(rng() % 40);
    std::vector<uint32_t> ties(n);
    for (uint32_t i = 0; i < n; ++i) ties[i] = i;
    std::shuffle(ties.begin(), ties.end(), rng);
    std::vector<ScoredRow> rows;
    std::vector<std::string_view> group_of;
    for (uint32_t r = 0; r < n; ++r) {
      rows.push_back({static_cast<double>(rng() % 5) / 4.0, ties[r], r});
      group_of.push_back(groups[rng() % 4]);
    }
    const size_t k = rng() % 12, cap = 1 + rng() % 3;

    std::vector<ScoredRow> sorted = rows;
    std::sort(sorted.begin(), sorted.end(), RanksBefore);
    std::vector<uint32_t> want;
    size_t want_skipped = 0;
    std::vector<size_t> taken(4, 0);
    for (const ScoredRow& r : sorted) {
      if (want.size() == k) break;
      size_t& count = taken[static_cast<size_t>(group_of[r.row][0] - 'a')];
      if (count >= cap) {
        ++want_skipped;
        continue;
      }
      ++count;
      want.push_back(r.row);
    }

    CappedTopK capped(k, cap, [&](uint32_t row) { return group_of[row]; });
    EXPECT_EQ(Rows(Collect(capped, rows)), want) << "round " << round;
    EXPECT_EQ(capped.skipped(), want_skipped) << "round " << round;
  }
}

}  // namespace
}  // namespace expectmatch::matcher
