// Cross-validated tuning of a profile on historical needs (docs/TUNING.md,
// "Time-ordered cross-validation").
//
// Folds follow time (forward chaining): the needs, ordered by decision day, are cut into
// folds + 1 consecutive blocks of equal size; fold i trains on blocks 0..i and tests on block
// i + 1, so a profile is always judged on needs decided after those it learnt from. The
// profile written is then fitted on every need. Bootstrap intervals resample the needs with
// replacement and refit with the same method (coordinate ascent with all its restarts, the
// first from the full fit, the random ones seeded per resample). Deterministic
// for a seed; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "expectmatch/tuning/fit.h"
#include "expectmatch/tuning/history.h"
#include "expectmatch/tuning/metrics.h"

namespace expectmatch::tuning {

enum class Method { kCoordinateAscent, kPairwiseLogistic };
const char* MethodName(Method method);  // "coordinate-ascent", "pairwise-logistic"

struct TuneOptions {
  Method method = Method::kCoordinateAscent;
  size_t folds = 5;
  size_t bootstrap = 100;  // resamples for the weights' intervals; 0: none
  uint64_t seed = 1;
  MetricOptions metric;  // k and ties of every metric (and of coordinate ascent)
  CoordinateAscentOptions coordinate_ascent;  // its metric and seed are set from the above
  PairwiseLogisticOptions pairwise_logistic;
};

struct FoldResult {
  size_t train_needs = 0, test_needs = 0;
  matcher::Date train_from, train_to, test_from, test_to;
  Weights weights = Weights::Zero();  // fitted on the training block
  Metrics baseline, fitted;           // on the test block
};

// Where the selected authority of one past need ranks under two profiles (0: not a candidate).
struct RankChange {
  std::string need;
  matcher::Date decided;
  std::string selected;
  int baseline_rank = 0;
  int other_rank = 0;
};
std::vector<RankChange> CompareRanks(const std::vector<HistoricalNeed>& needs,
                                     const Weights& baseline, const Weights& other, TieOrder ties);

struct RankChangeSummary {
  size_t improved = 0, worsened = 0, unchanged = 0, not_candidate = 0;
  size_t top1_changed = 0;  // needs whose first candidate differs
};
RankChangeSummary Summarise(const std::vector<RankChange>& changes);

struct TuneResult {
  Method method = Method::kCoordinateAscent;
  TuneOptions options;
  size_t needs = 0;
  size_t needs_without_candidate = 0;  // selected authority not among the candidates
  double mean_candidates = 0.0;
  Weights baseline = Weights::Zero();  // normalised
  Weights fitted = Weights::Zero();    // normalised, on every need
  Metrics baseline_all, fitted_all;    // on every need (in sample for the fit)
  std::vector<FoldResult> folds;
  Metrics baseline_held_out, fitted_held_out;             // means over the test blocks
  Weights low = Weights::Zero(), high = Weights::Zero();  // 2.5 % and 97.5 % bootstrap quantiles
  size_t bootstrap = 0;
  std::vector<RankChange> changes;
  RankChangeSummary change_summary;
  bool fell_back = false;  // the fit said nothing; the baseline is returned
};

// REQUIRES: needs ordered by decision day (BuildHistory's order); baseline non-negative, not all zero.
TuneResult Tune(const std::vector<HistoricalNeed>& needs, const Weights& baseline,
                const TuneOptions& options, const Progress& progress = {});

// The fold blocks: [begin, end) row ranges of the folds + 1 blocks.
std::vector<std::pair<size_t, size_t>> TimeBlocks(size_t needs, size_t folds);

// Cosine of the angle between two weight vectors (0 when one is zero).
double Cosine(const Weights& a, const Weights& b);

}  // namespace expectmatch::tuning
