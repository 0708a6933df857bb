#include "expectmatch/synth/generator.h"

#include <algorithm>
#include <cmath>

#include "generator_steps.h"

namespace expectmatch::synth {
namespace {

// The French figures the plan scales: 34,935 communes, 1,254 EPCI, 101 départements and 18
// régions, about 12,000 cooperation links, 120 missions and 45 needs.
constexpr double kFrenchAuthorities = 36308.0;
constexpr double kFrenchEpciShare = 1254.0 / (34935.0 + 1254.0);

size_t Round(double x) { return static_cast<size_t>(std::floor(x + 0.5)); }

// Domains favoured by each kind's labels, with their weight multiplier.
double LabelAffinity(matcher::CollectiviteKind kind, std::string_view domain) {
  struct Affinity {
    matcher::CollectiviteKind kind;
    std::string_view domain;
    double factor;
  };
  using K = matcher::CollectiviteKind;
  static const Affinity kAffinities[] = {
      {K::kRegion, "agriculture", 3},
      {K::kRegion, "economie", 3},
      {K::kRegion, "numerique", 2},
      {K::kRegion, "jeunesse_genre", 2},
      {K::kRegion, "environnement", 1.5},
      {K::kDepartement, "sante", 3},
      {K::kDepartement, "risques", 3},
      {K::kDepartement, "agriculture", 2},
      {K::kDepartement, "jeunesse_genre", 1.5},
      {K::kCommune, "capacites", 2},
      {K::kCommune, "culture", 2},
      {K::kCommune, "patrimoine", 2},
      {K::kCommune, "sport", 2},
      {K::kCommune, "environnement", 1.5},
      {K::kEpci, "environnement", 3},
      {K::kEpci, "amenagement", 2},
      {K::kEpci, "economie", 2},
      {K::kAssociation, "capacites", 4},
      {K::kAssociation, "jeunesse_genre", 2},
  };
  for (const Affinity& a : kAffinities) {
    if (a.kind == kind && a.domain == domain) return a.factor;
  }
  return 1.0;
}

}  // namespace

namespace internal {

ThemeIndex::ThemeIndex() {
  std::unordered_map<std::string_view, size_t> domains;
  std::vector<double> popularity;
  std::array<std::vector<double>, 5> affinity;
  for (const ThemeRow& row : Themes()) {
    if (row.parent.empty()) {
      domains.emplace(row.id, by_domain.size());
      by_domain.emplace_back();
      continue;
    }
    size_t theme = ids.size();
    size_t d = domains.at(row.parent);
    index.emplace(std::string(row.id), theme);
    ids.emplace_back(row.id);
    phrases.push_back(row.need_phrase);
    domain.push_back(d);
    by_domain[d].push_back(theme);
    popularity.push_back(row.popularity);
    for (size_t kind = 0; kind < affinity.size(); ++kind) {
      affinity[kind].push_back(
          row.popularity * LabelAffinity(static_cast<matcher::CollectiviteKind>(kind), row.parent));
    }
  }
  popular = WeightedIndex(popularity);
  for (size_t kind = 0; kind < labels.size(); ++kind) labels[kind] = WeightedIndex(affinity[kind]);
}

size_t ThemeIndex::Sibling(Rng& rng, size_t theme) const {
  const std::vector<size_t>& siblings = by_domain[domain[theme]];
  if (siblings.size() < 2) return theme;
  size_t other = siblings[rng.Below(siblings.size() - 1)];
  return other == theme ? siblings.back() : other;
}

}  // namespace internal

GeneratorPlan PlanDataset(size_t authorities) {
  GeneratorPlan plan;
  double n = static_cast<double>(authorities);
  if (authorities >= 200) {
    plan.regions = 18;
    plan.departements = std::clamp<size_t>(Round(n * 101 / kFrenchAuthorities), 5, 101);
    plan.associations = std::min<size_t>(30, 5 + authorities / 6000);
  } else {
    plan.regions = authorities / 11;
    plan.departements = authorities / 50;
    plan.associations = authorities / 40;
  }
  size_t rest = authorities - plan.regions - plan.departements - plan.associations;
  plan.epci = Round(static_cast<double>(rest) * kFrenchEpciShare);
  plan.communes = rest - plan.epci;
  plan.cooperations = Round(n * 12000 / 36000);
  plan.missions = std::max<size_t>(20, Round(n * 120 / 36000));
  plan.needs = std::max<size_t>(20, authorities / 800);
  return plan;
}

matcher::Dataset GenerateDataset(const GeneratorOptions& options,
                                 const GeneratorProgress& progress) {
  return GenerateDataset(options, {}, progress);
}

matcher::Dataset GenerateDataset(const GeneratorOptions& options,
                                 const std::vector<datasets::OfficialAuthority>& official,
                                 const GeneratorProgress& progress) {
  internal::Context ctx(options, progress);
  ctx.official = &official;
  for (const internal::ThemeRow& row : internal::Themes()) {
    ctx.data.themes.push_back(
        {std::string(row.id), std::string(row.label), std::string(row.parent)});
  }
  internal::GenerateCollectivites(ctx);
  internal::GenerateCooperations(ctx);
  internal::GenerateMissions(ctx);
  internal::GenerateNeeds(ctx);
  return std::move(ctx.data);
}

}  // namespace expectmatch::synth
