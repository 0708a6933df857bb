// Ranking one need against every labelled authority of a catalogue (ARCHITECTURE.md, "Ranking").
//
// RankNeed finds the candidates through the label postings of the need's themes, applies the
// hard filters in a fixed order, computes the six features of every eligible candidate into a
// feature matrix, scores them all at once (matrix × weights, Eigen), and keeps the best k
// (TopK, or CappedTopK under a région cap), ties broken by id ascending; explanations are built
// for those k only.
// It is a pure function of its arguments: thread-safe, deterministic.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/features.h"
#include "expectmatch/matcher/profile.h"

namespace expectmatch::matcher {

// Hard filters, in the order they are applied; a candidate is counted under the first that
// excludes it.
enum class Filter : size_t {
  kConflict = 0,   // named in the need's `excluded` list (conflict of interest)
  kDeclined,       // declined a proposal of this need (Need::declined)
  kNoActiveLabel,  // no label on a need theme (or its domain) valid over the whole period
  kLanguage,       // speaks none of the need's working languages
  kNoCapacity,     // no mission left in its yearly capacity for the need's start year
};
inline constexpr size_t kFilterCount = 5;

std::string_view FilterName(Filter filter);         // snake_case, e.g. "no_active_label"
std::string_view FilterLabelFrench(Filter filter);  // for DAECT staff

struct RankOptions {
  size_t k = 10;               // candidates returned at most
  bool explain = true;         // French reasons (values and contributions are always given)
  bool list_excluded = false;  // list every excluded candidate with its filter (costs a full scan)
  size_t max_per_region = 0;   // diversity: at most this many candidates per French région; 0: off
  FeatureParams params;
};

struct Candidate {
  AuthorityIndex collectivite = 0;                 // index in Catalogue::collectivites()
  double score = 0.0;                              // Σ contributions (within 1e-12)
  FeatureVector values{};                          // each in [0, 1]
  FeatureVector contributions{};                   // weight · value
  std::array<std::string, kFeatureCount> reasons;  // empty unless RankOptions::explain
};

struct Exclusion {
  AuthorityIndex collectivite = 0;
  Filter filter = Filter::kConflict;
};

struct Ranking {
  Profile profile;
  size_t considered = 0;  // authorities examined (the whole catalogue)
  size_t eligible = 0;    // passed every hard filter
  std::array<size_t, kFilterCount> excluded_counts{};
  std::vector<Candidate> candidates;  // best first, at most k
  std::vector<Exclusion> excluded;    // ordered by collectivité id, when list_excluded
  size_t diversity_skipped = 0;       // eligible candidates passed over for the région cap
};

// REQUIRES: need is valid against the catalogue (its themes exist, period start <= end);
// profile weights within [kMinWeight, kMaxWeight].
Ranking RankNeed(const Catalogue& catalogue, const Need& need, const Profile& profile,
                 const RankOptions& options);

}  // namespace expectmatch::matcher
