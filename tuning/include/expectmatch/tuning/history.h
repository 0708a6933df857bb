// Historical needs as learning-to-rank queries: for each decided need, every authority that
// passed the hard filters on its decision day, with its six features as of that day (as_of.h),
// and the relevance of the one DAECT selected (docs/TUNING.md, "Relevance and metrics").
//
// Relevance is graded as trec_eval reads qrels: the selected authority has grade 1, or 2 when
// its mission was rated 4 or 5; every other candidate 0. The judged grades are kept apart from
// the candidates, so a selected authority that did not pass the filters as of the decision day
// (or, from the service's log, was not shown) still counts in the ideal ranking.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/features.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::tuning {

inline constexpr int kFeatures = static_cast<int>(matcher::kFeatureCount);
using Weights = Eigen::Matrix<double, kFeatures, 1>;
using FeatureMatrix = Eigen::Matrix<double, Eigen::Dynamic, kFeatures, Eigen::RowMajor>;

// Reports advancing work: `done` of `total` items of `stage` (French, for stderr).
using Progress = std::function<void(std::string_view stage, size_t done, size_t total)>;

Weights ToWeights(const matcher::FeatureVector& values);
matcher::FeatureVector FromWeights(const Weights& weights);

// 2 when the mission was rated 4 or 5, else 1 (the selected authority is relevant).
int RelevanceGrade(std::optional<int> rating);

struct HistoricalNeed {
  std::string id;
  matcher::Date decided;                // the day the features are taken as of
  std::string selected;                 // the authority DAECT chose
  std::optional<int> rating;            // its mission's rating, when known
  std::vector<std::string> candidates;  // authority ids, in no meaningful order
  FeatureMatrix features;               // one row per candidate
  std::vector<int> grades;              // per candidate: 0, or the selected one's grade
  std::vector<uint32_t> id_order;  // per candidate: rank of its id among the candidates, ascending
  std::vector<int> judged;         // grades of every relevant authority, shown or not
  // From the service's log: the weights the logged ranking was served with (the profile's with
  // the request's overrides), when known.
  std::optional<matcher::FeatureVector> served;

  // Row of the selected authority among the candidates, -1 when it is not one.
  int SelectedRow() const;
};

// Builds a judged need from its candidates. REQUIRES: candidates.size() == features.size().
HistoricalNeed JudgeNeed(std::string id, matcher::Date decided, std::string selected,
                         std::optional<int> rating, std::vector<std::string> candidates,
                         const std::vector<matcher::FeatureVector>& features);

// Every decided need of `dataset` (a selected authority, not cancelled), ordered by decision
// day then id, with its candidates and features as of its decision day. The rating is that of
// the need's mission run by the selected authority (the latest rated one).
std::vector<HistoricalNeed> BuildHistory(const matcher::Dataset& dataset,
                                         const matcher::CountryTable& countries,
                                         const Progress& progress = {});

}  // namespace expectmatch::tuning
