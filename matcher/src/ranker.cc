#include "expectmatch/matcher/ranker.h"

#include <algorithm>

namespace expectmatch::matcher {
namespace {

constexpr std::array<std::string_view, kFilterCount> kFilterNames = {
    "conflict", "no_active_label", "language", "no_capacity"};
constexpr std::array<std::string_view, kFilterCount> kFilterLabels = {
    "Conflit d'intérêts déclaré", "Aucun label actif sur les thèmes du besoin pendant la période",
    "Aucune langue de travail commune", "Capacité annuelle épuisée"};

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The first hard filter that excludes candidate `c`, or nullopt when it is eligible.
std::optional<Filter> FirstExcludingFilter(const Catalogue& catalogue, const Need& need, size_t c) {
  const Collectivite& candidate = catalogue.collectivites()[c];
  if (Contains(need.excluded, candidate.id)) return Filter::kConflict;

  bool labelled = false;
  for (const Label& label : candidate.labels) {
    if (!label.CoversPeriod(need.period.start, need.period.end)) continue;
    for (const NeedTheme& requested : need.themes) {
      if (catalogue.taxonomy().IsSelfOrAncestor(label.theme, requested.theme)) {
        labelled = true;
        break;
      }
    }
    if (labelled) break;
  }
  if (!labelled) return Filter::kNoActiveLabel;

  if (!need.languages.empty()) {
    bool common = std::any_of(need.languages.begin(), need.languages.end(),
                              [&](const std::string& language) { return Contains(candidate.languages, language); });
    if (!common) return Filter::kLanguage;
  }

  if (candidate.capacity_per_year - CapacityUsed(catalogue, need, c) <= 0) return Filter::kNoCapacity;
  return std::nullopt;
}

// Computes the features of one candidate and its score under `profile`.
Candidate Score(const Catalogue& catalogue, const Need& need, size_t c, const Profile& profile,
                const RankOptions& options, bool with_reasons) {
  Candidate out;
  out.collectivite = c;
  const Collectivite& candidate = catalogue.collectivites()[c];
  auto reason = [&](Feature f) { return with_reasons ? &out.reasons[static_cast<size_t>(f)] : nullptr; };
  out.values[static_cast<size_t>(Feature::kThematic)] = Thematic(catalogue, need, candidate, reason(Feature::kThematic));
  out.values[static_cast<size_t>(Feature::kCountryPresence)] =
      CountryPresence(catalogue, need, c, reason(Feature::kCountryPresence));
  out.values[static_cast<size_t>(Feature::kTrackRecord)] =
      TrackRecord(catalogue, need, c, options.params, reason(Feature::kTrackRecord));
  out.values[static_cast<size_t>(Feature::kLanguage)] = Language(need, candidate, reason(Feature::kLanguage));
  out.values[static_cast<size_t>(Feature::kAvailability)] =
      Availability(catalogue, need, c, reason(Feature::kAvailability));
  // The score is the sum of the contributions in Feature order, so that the explanation adds
  // up to the score exactly.
  for (size_t i = 0; i < kFeatureCount; ++i) {
    out.contributions[i] = profile.weights[i] * out.values[i];
    out.score += out.contributions[i];
  }
  return out;
}

}  // namespace

std::string_view FilterName(Filter filter) { return kFilterNames[static_cast<size_t>(filter)]; }
std::string_view FilterLabelFrench(Filter filter) { return kFilterLabels[static_cast<size_t>(filter)]; }

Ranking RankNeed(const Catalogue& catalogue, const Need& need, const Profile& profile, const RankOptions& options) {
  Ranking ranking;
  ranking.profile = profile;
  const auto& collectivites = catalogue.collectivites();
  ranking.considered = collectivites.size();

  std::vector<Candidate> eligible;
  for (size_t c = 0; c < collectivites.size(); ++c) {
    if (std::optional<Filter> filter = FirstExcludingFilter(catalogue, need, c)) {
      ++ranking.excluded_counts[static_cast<size_t>(*filter)];
      if (options.list_excluded) ranking.excluded.push_back({c, *filter});
      continue;
    }
    eligible.push_back(Score(catalogue, need, c, profile, options, /*with_reasons=*/false));
  }
  ranking.eligible = eligible.size();

  auto better = [&](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return collectivites[a.collectivite].id < collectivites[b.collectivite].id;
  };
  const size_t k = std::min(options.k, eligible.size());
  std::partial_sort(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(k), eligible.end(), better);
  eligible.resize(k);
  if (options.explain) {
    // Reasons only for the returned candidates; the features are recomputed identically.
    for (Candidate& candidate : eligible) {
      candidate = Score(catalogue, need, candidate.collectivite, profile, options, /*with_reasons=*/true);
    }
  }
  ranking.candidates = std::move(eligible);
  std::sort(ranking.excluded.begin(), ranking.excluded.end(), [&](const Exclusion& a, const Exclusion& b) {
    return collectivites[a.collectivite].id < collectivites[b.collectivite].id;
  });
  return ranking;
}

}  // namespace expectmatch::matcher
