// Fitting a profile's weights on historical needs (docs/TUNING.md, "The two fitting methods").
// Both methods return non-negative weights normalised to sum 1 (the scale of a linear ranking
// does not change it; the built-in profiles also sum to 1), or all zeros when the training needs
// say nothing (no need with a relevant candidate and another one to rank it against).
//
// Coordinate ascent (Metzler and Croft 2007, as RankLib runs it): maximises mean NDCG@k on the
// training needs directly. Each restart starts from a point (the first from `start`, the
// second from uniform weights, the others from random ones), then sweeps the features in a
// random order, trying for each a ladder of steps up and down (and 0) and keeping the best;
// sweeps stop when one gains less than `tolerance`. NDCG is flat between rank swaps, so only
// strict gains move a weight. The best restart wins.
//
// Pairwise logistic regression (RankNet's loss with a linear scorer): for each need and each
// pair (i, j) with grade gᵢ > gⱼ, the loss (gᵢ − gⱼ)·log(1 + exp(−w·(xᵢ − xⱼ))), plus
// (λ/2)·‖w‖², minimised under w ≥ 0 by a projected Newton method (Eigen's LDLT on the free
// coordinates, Armijo backtracking on the projected path; Bertsekas 1982). The problem is
// strictly convex, so the result does not depend on a starting point.
// Pure functions of their arguments and seeds; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "expectmatch/tuning/history.h"
#include "expectmatch/tuning/metrics.h"

namespace expectmatch::tuning {

struct CoordinateAscentOptions {
  size_t restarts = 5;      // RankLib's default
  size_t max_sweeps = 25;   // per restart
  double tolerance = 1e-4;  // least gain in mean NDCG@k for another sweep
  uint64_t seed = 1;
  MetricOptions metric;  // k and ties of the objective
};

struct PairwiseLogisticOptions {
  double l2 = 1.0;  // λ
  size_t max_iterations = 100;
  double tolerance = 1e-8;  // on the projected gradient's largest component
};

// REQUIRES: start is non-negative (it may be all zeros).
Weights FitCoordinateAscent(const std::vector<HistoricalNeed>& needs,
                            const std::vector<size_t>& rows, const Weights& start,
                            const CoordinateAscentOptions& options);
Weights FitPairwiseLogistic(const std::vector<HistoricalNeed>& needs,
                            const std::vector<size_t>& rows,
                            const PairwiseLogisticOptions& options);

// Mean NDCG@k over needs[rows], computed as Evaluate does but in O(candidates) per need when it
// has a single relevant candidate (the usual case): the objective coordinate ascent climbs.
double MeanNdcg(const std::vector<HistoricalNeed>& needs, const std::vector<size_t>& rows,
                const Weights& weights, const MetricOptions& options);

// `w` scaled to sum 1; all zeros stays all zeros.
Weights Normalised(const Weights& w);

}  // namespace expectmatch::tuning
