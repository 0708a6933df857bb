#include "expectmatch/matcher/ranker.h"

#include <Eigen/Core>

#include <algorithm>
#include <bit>
#include <string_view>

#include "expectmatch/matcher/top_k.h"

namespace expectmatch::matcher {
namespace {

constexpr std::array<std::string_view, kFilterCount> kFilterNames = {
    "conflict", "declined", "no_active_label", "language", "no_capacity"};
constexpr std::array<std::string_view, kFilterCount> kFilterLabels = {
    "Conflit d'intérêts déclaré", "A décliné une proposition pour ce besoin",
    "Aucun label actif sur les thèmes du besoin pendant la période",
    "Aucune langue de travail commune", "Capacité annuelle épuisée"};

using FeatureMatrix = Eigen::Matrix<double, Eigen::Dynamic, static_cast<int>(kFeatureCount)>;
using WeightVector = Eigen::Matrix<double, static_cast<int>(kFeatureCount), 1>;

// Authorities with a label on a need theme, or on an ancestor of one, valid over the whole
// period: the only ones that pass the label filter. In no particular order, without duplicates.
std::vector<AuthorityIndex> LabelledCandidates(const Catalogue& catalogue,
                                               const NeedContext& need) {
  // Per-thread marks, reused across rankings: mark[c] == stamp means c is already listed.
  thread_local std::vector<uint32_t> mark;
  thread_local uint32_t stamp = 0;
  if (mark.size() < catalogue.size()) mark.assign(catalogue.size(), 0);
  if (++stamp == 0) {
    std::fill(mark.begin(), mark.end(), 0);
    stamp = 1;
  }
  std::vector<AuthorityIndex> out;
  const Taxonomy& taxonomy = catalogue.taxonomy();
  for (ThemeIndex theme : need.themes) {
    for (ThemeIndex t = theme; t != kNoTheme; t = taxonomy.Parent(t)) {
      for (const LabelPosting& posting : catalogue.LabelsOnTheme(t)) {
        if (posting.since <= need.start.days && posting.until >= need.end.days &&
            mark[posting.authority] != stamp) {
          mark[posting.authority] = stamp;
          out.push_back(posting.authority);
        }
      }
    }
  }
  return out;
}

bool SpeaksAny(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c) {
  const LanguageMask& spoken = catalogue.Languages(c);
  for (size_t i = 0; i < spoken.size(); ++i) {
    if (spoken[i] & need.languages[i]) return true;
  }
  return false;
}

bool Contains(const std::vector<AuthorityIndex>& sorted, AuthorityIndex c) {
  return std::binary_search(sorted.begin(), sorted.end(), c);
}

}  // namespace

std::string_view FilterName(Filter filter) { return kFilterNames[static_cast<size_t>(filter)]; }
std::string_view FilterLabelFrench(Filter filter) {
  return kFilterLabels[static_cast<size_t>(filter)];
}

Ranking RankNeed(const Catalogue& catalogue, const Need& need, const Profile& profile,
                 const RankOptions& options) {
  Ranking ranking;
  ranking.profile = profile;
  ranking.considered = catalogue.size();
  const NeedContext context = PrepareNeed(catalogue, need);

  // Hard filters. Only labelled candidates can pass; everyone else is counted, not visited.
  std::vector<AuthorityIndex> labelled = LabelledCandidates(catalogue, context);
  std::vector<AuthorityIndex> eligible;
  eligible.reserve(labelled.size());
  std::vector<Exclusion> excluded_labelled;
  size_t labelled_without_conflict = 0;
  for (AuthorityIndex c : labelled) {
    if (Contains(context.excluded, c) || Contains(context.declined, c)) continue;
    ++labelled_without_conflict;
    std::optional<Filter> filter;
    if (context.language_count > 0 && !SpeaksAny(catalogue, context, c)) {
      filter = Filter::kLanguage;
    } else if (RemainingCapacity(catalogue, context, c) <= 0) {
      filter = Filter::kNoCapacity;
    }
    if (filter) {
      ++ranking.excluded_counts[static_cast<size_t>(*filter)];
      if (options.list_excluded) excluded_labelled.push_back({c, *filter});
    } else {
      eligible.push_back(c);
    }
  }
  ranking.excluded_counts[static_cast<size_t>(Filter::kConflict)] = context.excluded.size();
  ranking.excluded_counts[static_cast<size_t>(Filter::kDeclined)] = context.declined.size();
  ranking.excluded_counts[static_cast<size_t>(Filter::kNoActiveLabel)] =
      catalogue.size() - context.excluded.size() - context.declined.size() -
      labelled_without_conflict;
  ranking.eligible = eligible.size();

  // Features of every eligible candidate, then all scores at once.
  FeatureMatrix features(static_cast<Eigen::Index>(eligible.size()),
                         static_cast<Eigen::Index>(kFeatureCount));
  for (size_t row = 0; row < eligible.size(); ++row) {
    FeatureVector values = ComputeFeatures(catalogue, context, eligible[row], options.params);
    for (size_t f = 0; f < kFeatureCount; ++f)
      features(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(f)) = values[f];
  }
  WeightVector weights;
  for (size_t f = 0; f < kFeatureCount; ++f)
    weights[static_cast<Eigen::Index>(f)] = profile.weights[f];
  const Eigen::VectorXd scores = features * weights;

  // Selection: the same scan feeds the collector the options call for.
  auto collect = [&](auto& collector) {
    for (size_t row = 0; row < eligible.size(); ++row) {
      collector.Push(ScoredRow{scores[static_cast<Eigen::Index>(row)],
                               catalogue.IdRank(eligible[row]), static_cast<uint32_t>(row)});
    }
    std::vector<ScoredRow> kept = collector.TakeSorted();
    ranking.diversity_skipped = collector.skipped();
    return kept;
  };
  std::vector<ScoredRow> chosen;
  if (options.max_per_region == 0) {
    TopK top(options.k);
    chosen = collect(top);
  } else {
    auto region_of = [&](uint32_t row) -> std::string_view {
      return catalogue.collectivites()[eligible[row]].region;
    };
    CappedTopK capped(options.k, options.max_per_region, region_of);
    chosen = collect(capped);
  }

  for (const ScoredRow& entry : chosen) {
    Candidate candidate;
    candidate.collectivite = eligible[entry.row];
    candidate.score = entry.score;
    for (size_t f = 0; f < kFeatureCount; ++f) {
      candidate.values[f] =
          features(static_cast<Eigen::Index>(entry.row), static_cast<Eigen::Index>(f));
      candidate.contributions[f] = profile.weights[f] * candidate.values[f];
      if (options.explain) {
        candidate.reasons[f] = Explain(static_cast<Feature>(f), catalogue, context,
                                       candidate.collectivite, options.params);
      }
    }
    ranking.candidates.push_back(std::move(candidate));
  }

  if (options.list_excluded) {
    std::sort(labelled.begin(), labelled.end());
    for (AuthorityIndex c : context.excluded) ranking.excluded.push_back({c, Filter::kConflict});
    for (AuthorityIndex c : context.declined) ranking.excluded.push_back({c, Filter::kDeclined});
    for (AuthorityIndex c = 0; c < catalogue.size(); ++c) {
      if (!Contains(context.excluded, c) && !Contains(context.declined, c) &&
          !Contains(labelled, c))
        ranking.excluded.push_back({c, Filter::kNoActiveLabel});
    }
    ranking.excluded.insert(ranking.excluded.end(), excluded_labelled.begin(),
                            excluded_labelled.end());
    std::sort(ranking.excluded.begin(), ranking.excluded.end(),
              [&](const Exclusion& a, const Exclusion& b) {
                return catalogue.IdRank(a.collectivite) < catalogue.IdRank(b.collectivite);
              });
  }
  return ranking;
}

}  // namespace expectmatch::matcher
