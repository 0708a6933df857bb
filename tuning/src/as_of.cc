#include "expectmatch/tuning/as_of.h"

#include <unordered_set>

namespace expectmatch::tuning {

matcher::Date DecisionDay(const matcher::Need& need) {
  return need.submitted_at.value_or(need.period.start);
}

bool IsDecided(const matcher::Need& need) {
  return !need.selected.empty() && need.status != matcher::NeedStatus::kCancelled;
}

AsOfCatalogues::AsOfCatalogues(const matcher::Dataset& dataset, matcher::CountryTable countries)
    : dataset_(dataset), countries_(std::move(countries)) {
  std::unordered_set<std::string> linked;
  for (const matcher::Cooperation& link : dataset.cooperations) linked.insert(link.collectivite);
  for (size_t i = 0; i < dataset.collectivites.size(); ++i) {
    const matcher::Collectivite& c = dataset.collectivites[i];
    if (!c.labels.empty() || linked.count(c.id)) kept_authorities_.push_back(i);
  }
}

matcher::Dataset AsOfCatalogues::DatasetAt(matcher::Date day) const {
  matcher::Dataset out;
  out.themes = dataset_.themes;
  out.collectivites.reserve(kept_authorities_.size());
  for (size_t i : kept_authorities_) out.collectivites.push_back(dataset_.collectivites[i]);
  out.cooperations = dataset_.cooperations;
  for (const matcher::Mission& m : dataset_.missions) {
    if (!(m.start < day)) continue;
    matcher::Mission known = m;
    if (!(m.end < day)) known.rating.reset();
    if (known.report_delivered && !(*known.report_delivered < day)) known.report_delivered.reset();
    out.missions.push_back(std::move(known));
  }
  for (const matcher::Need& need : dataset_.needs) {
    if (!IsDecided(need) || !(DecisionDay(need) < day)) continue;
    // Only what makes a commitment: the catalogue skips needs whose mission it already knows.
    matcher::Need commitment;
    commitment.id = need.id;
    commitment.country = need.country;
    commitment.period = need.period;
    commitment.status = matcher::NeedStatus::kAssigned;
    commitment.selected = need.selected;
    out.needs.push_back(std::move(commitment));
  }
  return out;
}

std::unique_ptr<matcher::Catalogue> AsOfCatalogues::At(matcher::Date day) const {
  return std::make_unique<matcher::Catalogue>(DatasetAt(day), countries_);
}

std::vector<matcher::Candidate> EligibleCandidates(const matcher::Catalogue& catalogue,
                                                   const matcher::Need& need) {
  matcher::Need undecided = need;
  undecided.selected.clear();
  undecided.status = matcher::NeedStatus::kSubmitted;
  matcher::Profile uniform;
  uniform.name = "uniform";
  uniform.weights.fill(1.0);
  matcher::RankOptions options;
  options.k = catalogue.size();
  options.explain = false;
  return matcher::RankNeed(catalogue, undecided, uniform, options).candidates;
}

}  // namespace expectmatch::tuning
