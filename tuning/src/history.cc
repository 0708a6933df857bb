#include "expectmatch/tuning/history.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

#include "expectmatch/tuning/as_of.h"

namespace expectmatch::tuning {

Weights ToWeights(const matcher::FeatureVector& values) {
  Weights w;
  for (int f = 0; f < kFeatures; ++f) w[f] = values[static_cast<size_t>(f)];
  return w;
}

matcher::FeatureVector FromWeights(const Weights& weights) {
  matcher::FeatureVector out{};
  for (int f = 0; f < kFeatures; ++f) out[static_cast<size_t>(f)] = weights[f];
  return out;
}

int RelevanceGrade(std::optional<int> rating) { return rating && *rating >= 4 ? 2 : 1; }

int HistoricalNeed::SelectedRow() const {
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i] == selected) return static_cast<int>(i);
  }
  return -1;
}

HistoricalNeed JudgeNeed(std::string id, matcher::Date decided, std::string selected,
                         std::optional<int> rating, std::vector<std::string> candidates,
                         const std::vector<matcher::FeatureVector>& features) {
  HistoricalNeed need;
  need.id = std::move(id);
  need.decided = decided;
  need.selected = std::move(selected);
  need.rating = rating;
  need.candidates = std::move(candidates);
  const size_t n = need.candidates.size();
  need.features.resize(static_cast<Eigen::Index>(n), kFeatures);
  for (size_t i = 0; i < n; ++i) {
    for (int f = 0; f < kFeatures; ++f)
      need.features(static_cast<Eigen::Index>(i), f) = features[i][static_cast<size_t>(f)];
  }
  const int grade = RelevanceGrade(rating);
  need.grades.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (need.candidates[i] == need.selected) need.grades[i] = grade;
  }
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return need.candidates[a] < need.candidates[b]; });
  need.id_order.assign(n, 0);
  for (size_t r = 0; r < n; ++r) need.id_order[order[r]] = static_cast<uint32_t>(r);
  if (!need.selected.empty()) need.judged = {grade};
  return need;
}

std::vector<HistoricalNeed> BuildHistory(const matcher::Dataset& dataset,
                                         const matcher::CountryTable& countries,
                                         const Progress& progress) {
  // Decided needs by decision day, then id.
  std::vector<const matcher::Need*> decided;
  for (const matcher::Need& need : dataset.needs) {
    if (IsDecided(need)) decided.push_back(&need);
  }
  std::sort(decided.begin(), decided.end(), [](const matcher::Need* a, const matcher::Need* b) {
    return DecisionDay(*a) < DecisionDay(*b) ||
           (DecisionDay(*a) == DecisionDay(*b) && a->id < b->id);
  });
  // Rating of each need's mission by its selected authority (the latest rated).
  std::unordered_map<std::string, const matcher::Mission*> outcome;
  for (const matcher::Mission& m : dataset.missions) {
    if (m.need.empty() || !m.rating) continue;
    const matcher::Mission*& slot = outcome[m.need + '\n' + m.collectivite];
    if (!slot || slot->end <= m.end) slot = &m;
  }

  AsOfCatalogues snapshots(dataset, countries);
  std::vector<HistoricalNeed> out;
  out.reserve(decided.size());
  std::unique_ptr<matcher::Catalogue> catalogue;
  matcher::Date day{std::numeric_limits<int>::min()};
  for (size_t i = 0; i < decided.size(); ++i) {
    const matcher::Need& need = *decided[i];
    if (!catalogue || DecisionDay(need) != day) {
      day = DecisionDay(need);
      catalogue = snapshots.At(day);
    }
    std::vector<matcher::Candidate> eligible = EligibleCandidates(*catalogue, need);
    std::vector<std::string> ids;
    std::vector<matcher::FeatureVector> features;
    for (const matcher::Candidate& c : eligible) {
      ids.push_back(catalogue->collectivites()[c.collectivite].id);
      features.push_back(c.values);
    }
    auto it = outcome.find(need.id + '\n' + need.selected);
    std::optional<int> rating = it == outcome.end() ? std::nullopt : it->second->rating;
    out.push_back(JudgeNeed(need.id, day, need.selected, rating, std::move(ids), features));
    if (progress && ((i + 1) % 50 == 0 || i + 1 == decided.size()))
      progress("besoins historiques", i + 1, decided.size());
  }
  return out;
}

}  // namespace expectmatch::tuning
