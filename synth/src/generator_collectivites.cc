// The collectivités of a synthetic data set: kinds, régions, names, populations, languages,
// capacities and EXPE-CT labels.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "generator_names.h"
#include "generator_steps.h"

namespace expectmatch::synth::internal {
namespace {

using matcher::CollectiviteKind;
using matcher::Date;

constexpr size_t kIleDeFrance = 7;

struct ClassTraits {
  int capacity_min;
  int capacity_max;
  double english;          // chance that its experts work in English
  double other_languages;  // chance of each of es, de, it, ar, pt
  bool small;              // fewer labels
};

ClassTraits Traits(SizeClass size) {
  switch (size) {
    case SizeClass::kRegion:
      return {3, 6, 1.0, 0.4, false};
    case SizeClass::kDepartement:
      return {2, 4, 0.85, 0.2, false};
    case SizeClass::kSmallCommune:
      return {0, 1, 0.3, 0.03, true};
    case SizeClass::kTown:
      return {1, 2, 0.5, 0.06, true};
    case SizeClass::kCity:
      return {2, 4, 0.75, 0.12, false};
    case SizeClass::kBigCity:
      return {3, 6, 0.95, 0.25, false};
    case SizeClass::kRuralEpci:
      return {1, 2, 0.4, 0.04, true};
    case SizeClass::kAgglomeration:
      return {1, 3, 0.7, 0.1, false};
    case SizeClass::kUrbanCommunity:
      return {2, 4, 0.9, 0.2, false};
    case SizeClass::kMetropole:
      return {3, 5, 0.95, 0.25, false};
    case SizeClass::kAssociation:
      return {2, 5, 0.85, 0.2, false};
  }
  return {1, 2, 0.5, 0.1, true};
}

SizeClass ClassOf(CollectiviteKind kind, long long population) {
  switch (kind) {
    case CollectiviteKind::kRegion:
      return SizeClass::kRegion;
    case CollectiviteKind::kDepartement:
      return SizeClass::kDepartement;
    case CollectiviteKind::kAssociation:
      return SizeClass::kAssociation;
    case CollectiviteKind::kCommune:
      if (population < 3500) return SizeClass::kSmallCommune;
      if (population < 20000) return SizeClass::kTown;
      return population < 100000 ? SizeClass::kCity : SizeClass::kBigCity;
    case CollectiviteKind::kEpci:
      if (population < 50000) return SizeClass::kRuralEpci;
      if (population < 250000) return SizeClass::kAgglomeration;
      return population < 400000 ? SizeClass::kUrbanCommunity : SizeClass::kMetropole;
  }
  return SizeClass::kSmallCommune;
}

long long Clamp(double x, long long lo, long long hi) {
  return std::clamp(static_cast<long long>(std::floor(x + 0.5)), lo, hi);
}

// Heavy-tailed: most communes are villages of a few hundred people, a few are cities.
long long CommunePopulation(Rng& rng) {
  return rng.Chance(0.01) ? Clamp(rng.Pareto(10000, 1.1), 10000, 2150000)
                          : Clamp(rng.LogNormal(480, 1.25), 8, 2150000);
}
long long EpciPopulation(Rng& rng) {
  return rng.Chance(0.02) ? Clamp(rng.Pareto(250000, 1.3), 250000, 7000000)
                          : Clamp(rng.LogNormal(22000, 0.8), 3000, 240000);
}
long long DepartementPopulation(Rng& rng) {
  return Clamp(rng.LogNormal(520000, 0.6), 75000, 2700000);
}

std::vector<std::string> Languages(Rng& rng, SizeClass size, std::string_view favoured) {
  static const std::string_view kOthers[] = {"es", "de", "it", "ar", "pt"};
  const ClassTraits traits = Traits(size);
  std::vector<std::string> out = {"fr"};
  if (rng.Chance(traits.english)) out.emplace_back("en");
  for (std::string_view code : kOthers) {
    double chance = favoured.find(code) != std::string_view::npos
                        ? std::min(0.9, 3 * traits.other_languages)
                        : traits.other_languages;
    if (rng.Chance(chance)) out.emplace_back(code);
  }
  return out;
}

// k distinct indices of [0, n), in increasing order.
std::vector<size_t> Subset(Rng& rng, size_t n, size_t k) {
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  rng.Shuffle(&all);
  all.resize(std::min(k, n));
  std::sort(all.begin(), all.end());
  return all;
}

matcher::Label MakeLabel(Rng& rng, const std::string& theme) {
  static const unsigned kStartMonths[] = {1, 3, 4, 6, 7, 9, 10, 12};
  static const unsigned kStartDays[] = {1, 1, 15};
  static const unsigned kEndMonths[] = {3, 6, 6, 9, 12, 12, 12};
  matcher::Label label;
  label.theme = theme;
  double u = rng.Uniform();
  if (u < 0.92) {
    label.since =
        Date::FromYmd(rng.Between(2019, 2025), rng.Pick(kStartMonths), rng.Pick(kStartDays));
    if (u >= 0.72) label.until = LastDayOfMonth(rng.Between(2027, 2029), rng.Pick(kEndMonths));
  } else {
    label.since =
        Date::FromYmd(rng.Between(2019, 2021), rng.Pick(kStartMonths), rng.Pick(kStartDays));
    label.until = LastDayOfMonth(rng.Between(2023, 2025), rng.Pick(kEndMonths));
  }
  return label;
}

void AddLabels(Rng& rng, const ThemeIndex& themes, SizeClass size, matcher::Collectivite* c) {
  static const std::vector<double> kSmallCounts = {55, 30, 12, 3};
  static const std::vector<double> kCounts = {30, 35, 23, 12};
  static const WeightedIndex kSmall(kSmallCounts), kLarge(kCounts);
  size_t count = 1 + (Traits(size).small ? kSmall : kLarge).Draw(rng);
  const WeightedIndex& table = themes.labels[static_cast<size_t>(c->kind)];
  std::vector<size_t> chosen;
  for (int attempt = 0; chosen.size() < count && attempt < 20; ++attempt) {
    size_t theme = !chosen.empty() && rng.Chance(0.45) ? themes.Sibling(rng, rng.Pick(chosen))
                                                       : table.Draw(rng);
    if (std::find(chosen.begin(), chosen.end(), theme) == chosen.end()) chosen.push_back(theme);
  }
  std::sort(chosen.begin(), chosen.end(),
            [&](size_t a, size_t b) { return themes.ids[a] < themes.ids[b]; });
  for (size_t theme : chosen) c->labels.push_back(MakeLabel(rng, themes.ids[theme]));
  if (c->capacity_per_year == 0) {
    c->capacity_per_year = 1;
    c->experts = std::max(c->experts, 1);
  }
}

// Labels a minority: per kind, `share` of its authorities, the more populous more often.
void DrawLabels(Context& ctx, Rng& rng) {
  struct Share {
    CollectiviteKind kind;
    double share;
    bool by_population;
  };
  static const Share kShares[] = {{CollectiviteKind::kRegion, 0.8, false},
                                  {CollectiviteKind::kDepartement, 0.5, true},
                                  {CollectiviteKind::kCommune, 0.02, true},
                                  {CollectiviteKind::kEpci, 0.15, true},
                                  {CollectiviteKind::kAssociation, 0.8, false}};
  std::vector<matcher::Collectivite>& all = ctx.data.collectivites;
  std::vector<double> chance(all.size(), 0.0);
  for (const Share& share : kShares) {
    std::vector<size_t> members;
    std::vector<double> weights;
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].kind != share.kind) continue;
      members.push_back(i);
      weights.push_back(share.by_population
                            ? std::sqrt(static_cast<double>(all[i].population.value_or(1)))
                            : 1.0);
    }
    double scale = CalibrateScale(weights, share.share * static_cast<double>(members.size()));
    for (size_t m = 0; m < members.size(); ++m)
      chance[members[m]] = std::min(1.0, scale * weights[m]);
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (rng.Chance(chance[i])) ctx.labelled.push_back(i);
  }
  if (ctx.labelled.empty() && !all.empty()) {
    auto largest = std::max_element(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.population.value_or(0) < b.population.value_or(0);
    });
    ctx.labelled.push_back(static_cast<size_t>(largest - all.begin()));
  }
  for (size_t i : ctx.labelled) AddLabels(rng, ctx.themes, ctx.size[i], &all[i]);
}

// Appends an authority of région `region` (an index of Regions()) with the languages, the
// capacity and the experts its kind and population draw.
void AddCollectivite(Context& ctx, Rng& rng, StageProgress& progress, CollectiviteKind kind,
                     std::string id, std::string name, size_t region,
                     std::optional<long long> population, std::string siren, std::string insee) {
  const RegionRow& row = Regions()[region];
  matcher::Collectivite c;
  c.id = std::move(id);
  c.name = std::move(name);
  c.kind = kind;
  c.region = std::string(row.name);
  c.population = population;
  c.siren = std::move(siren);
  c.insee = std::move(insee);
  SizeClass size = ClassOf(kind, population.value_or(0));
  ClassTraits traits = Traits(size);
  c.languages = Languages(rng, size, row.languages);
  c.capacity_per_year = rng.Between(traits.capacity_min, traits.capacity_max);
  c.experts =
      c.capacity_per_year == 0 ? 0 : c.capacity_per_year + rng.Between(0, 2 * c.capacity_per_year);
  ctx.data.collectivites.push_back(std::move(c));
  ctx.size.push_back(size);
  progress.Advance(ctx.data.collectivites.size());
}

// The authorities of a data set drawn from the official list (GenerateDataset's overload).
void GenerateOfficialCollectivites(Context& ctx, Rng& rng, StageProgress& progress) {
  const GeneratorPlan& plan = ctx.plan;
  const std::vector<RegionRow>& regions = Regions();
  auto region_index = [&](const std::string& name) {
    for (size_t r = 0; r < regions.size(); ++r) {
      if (regions[r].name == name) return r;
    }
    return kIleDeFrance;
  };
  auto add = [&](CollectiviteKind kind, std::string id, std::string name, size_t region,
                 std::optional<long long> population, std::string siren, std::string insee) {
    AddCollectivite(ctx, rng, progress, kind, std::move(id), std::move(name), region, population,
                    std::move(siren), std::move(insee));
  };
  std::array<std::vector<const datasets::OfficialAuthority*>, 5> by_kind;
  for (const datasets::OfficialAuthority& a : *ctx.official)
    by_kind[static_cast<size_t>(a.kind)].push_back(&a);
  // Each kind: a random subset of the list (in list order), then invented ones beyond it.
  auto draw = [&](CollectiviteKind kind, size_t wanted, const char* prefix,
                  const std::function<void(size_t)>& invent) {
    const auto& pool = by_kind[static_cast<size_t>(kind)];
    for (size_t i : Subset(rng, pool.size(), wanted)) {
      const datasets::OfficialAuthority& a = *pool[i];
      add(kind, prefix + (a.insee.empty() ? a.siren : a.insee), a.name, region_index(a.region),
          a.population, a.siren, a.insee);
    }
    for (size_t i = pool.size(); i < wanted; ++i) invent(i - pool.size());
  };
  draw(CollectiviteKind::kRegion, plan.regions, "reg-", [&](size_t i) {
    size_t r = i % regions.size();
    add(CollectiviteKind::kRegion, "reg-x-" + std::to_string(i + 1),
        std::string(regions[r].authority_name), r, regions[r].population, "", "");
  });
  draw(CollectiviteKind::kDepartement, plan.departements, "dep-", [&](size_t i) {
    const DepartementRow& d = Departements()[i % Departements().size()];
    add(CollectiviteKind::kDepartement, "dep-x-" + std::to_string(i + 1),
        "Département " + std::string(d.of), d.region, DepartementPopulation(rng), "", "");
  });
  std::vector<double> commune_weights, epci_weights;
  for (const RegionRow& row : regions) {
    commune_weights.push_back(row.communes);
    epci_weights.push_back(row.epci);
  }
  WeightedIndex commune_regions(commune_weights), epci_regions(epci_weights);
  draw(CollectiviteKind::kCommune, plan.communes, "com-", [&](size_t i) {
    size_t r = commune_regions.Draw(rng);
    long long population = CommunePopulation(rng);
    add(CollectiviteKind::kCommune, "com-x-" + std::to_string(i + 1),
        CommuneName(FrenchPlace(rng, regions[r].flavour), population), r, population, "", "");
  });
  draw(CollectiviteKind::kEpci, plan.epci, "epci-", [&](size_t i) {
    size_t r = epci_regions.Draw(rng);
    long long population = EpciPopulation(rng);
    add(CollectiviteKind::kEpci, "epci-x-" + std::to_string(i + 1),
        EpciName(rng, regions[r].flavour, population), r, population, "", "");
  });
  const std::vector<std::string_view>& national = NationalAssociations();
  for (size_t i = 0; i < plan.associations; ++i) {
    std::string id = "asso-" + std::to_string(i + 1);
    if (i < national.size()) {
      add(CollectiviteKind::kAssociation, id, std::string(national[i]), kIleDeFrance, std::nullopt,
          "", "");
    } else {
      const DepartementRow& d =
          Departements()[rng.Between(0, static_cast<int>(Departements().size() - 1))];
      add(CollectiviteKind::kAssociation, id, "Association des maires " + std::string(d.of),
          d.region, std::nullopt, "", "");
    }
  }
}

}  // namespace

void GenerateCollectivites(Context& ctx) {
  Rng rng(ctx.options.seed, 1);
  const GeneratorPlan& plan = ctx.plan;
  const std::vector<RegionRow>& regions = Regions();
  const std::vector<DepartementRow>& departements = Departements();
  std::vector<matcher::Collectivite>& out = ctx.data.collectivites;
  out.reserve(ctx.options.authorities);
  ctx.size.reserve(ctx.options.authorities);
  StageProgress progress(ctx.progress, "collectivités", ctx.options.authorities);

  if (ctx.official && !ctx.official->empty()) {
    GenerateOfficialCollectivites(ctx, rng, progress);
    DrawLabels(ctx, rng);
    progress.Finish();
    return;
  }
  auto add = [&](CollectiviteKind kind, std::string id, std::string name, size_t region,
                 std::optional<long long> population) {
    AddCollectivite(ctx, rng, progress, kind, std::move(id), std::move(name), region, population,
                    "", "");
  };

  size_t number = 0;
  for (size_t r : Subset(rng, regions.size(), plan.regions)) {
    add(CollectiviteKind::kRegion, "reg-" + std::to_string(++number),
        std::string(regions[r].authority_name), r, regions[r].population);
  }
  number = 0;
  for (size_t d : Subset(rng, departements.size(), plan.departements)) {
    add(CollectiviteKind::kDepartement, "dep-" + std::to_string(++number),
        "Département " + std::string(departements[d].of), departements[d].region,
        DepartementPopulation(rng));
  }
  std::vector<double> commune_weights, epci_weights;
  for (const RegionRow& row : regions) {
    commune_weights.push_back(row.communes);
    epci_weights.push_back(row.epci);
  }
  WeightedIndex commune_regions(commune_weights), epci_regions(epci_weights);
  for (size_t i = 0; i < plan.communes; ++i) {
    size_t r = commune_regions.Draw(rng);
    long long population = CommunePopulation(rng);
    add(CollectiviteKind::kCommune, "com-" + std::to_string(i + 1),
        CommuneName(FrenchPlace(rng, regions[r].flavour), population), r, population);
  }
  for (size_t i = 0; i < plan.epci; ++i) {
    size_t r = epci_regions.Draw(rng);
    long long population = EpciPopulation(rng);
    add(CollectiviteKind::kEpci, "epci-" + std::to_string(i + 1),
        EpciName(rng, regions[r].flavour, population), r, population);
  }
  const std::vector<std::string_view>& national = NationalAssociations();
  std::vector<size_t> local = Subset(rng, departements.size(), departements.size());
  rng.Shuffle(&local);  // départements of the local associations of mayors, in random order
  for (size_t i = 0; i < plan.associations; ++i) {
    std::string id = "asso-" + std::to_string(i + 1);
    if (i < national.size()) {
      add(CollectiviteKind::kAssociation, id, std::string(national[i]), kIleDeFrance, std::nullopt);
    } else {
      const DepartementRow& d = departements[local[(i - national.size()) % local.size()]];
      add(CollectiviteKind::kAssociation, id, "Association des maires " + std::string(d.of),
          d.region, std::nullopt);
    }
  }
  DrawLabels(ctx, rng);
  progress.Finish();
}

}  // namespace expectmatch::synth::internal
