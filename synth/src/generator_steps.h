// The stages of the synthetic data set generator and the state they share: collectivités
// first, then cooperation links, missions and needs, each drawing from its own random stream.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expectmatch/synth/generator.h"
#include "generator_random.h"
#include "generator_tables.h"

namespace expectmatch::synth::internal {

// The date the data set describes: missions ending later have no report or rating yet, needs
// were submitted before it.
inline const matcher::Date kToday = matcher::Date::FromYmd(2026, 11, 28);

enum class SizeClass {
  kRegion,
  kDepartement,
  kSmallCommune,  // under 3,500 inhabitants
  kTown,          // under 20,000
  kCity,          // under 100,000
  kBigCity,
  kRuralEpci,       // communauté de communes, under 50,000
  kAgglomeration,   // under 250,000
  kUrbanCommunity,  // under 400,000
  kMetropole,
  kAssociation,
};

// The sub-themes of the taxonomy, indexed for draws.
struct ThemeIndex {
  std::vector<std::string> ids;
  std::vector<std::string_view> phrases;
  std::vector<size_t> domain;                  // per sub-theme, the index of its domain
  std::vector<std::vector<size_t>> by_domain;  // sub-themes of each domain
  std::unordered_map<std::string, size_t> index;
  WeightedIndex popular;                // by how common the theme is in cooperation and needs
  std::array<WeightedIndex, 5> labels;  // label themes, per CollectiviteKind

  ThemeIndex();
  size_t Find(const std::string& id) const { return index.at(id); }
  // Another sub-theme of the same domain, or `theme` itself when it has no sibling.
  size_t Sibling(Rng& rng, size_t theme) const;
};

using datasets::StageProgress;

struct Context {
  Context(const GeneratorOptions& options, const GeneratorProgress& progress)
      : options(options), plan(PlanDataset(options.authorities)), progress(progress) {}

  GeneratorOptions options;
  GeneratorPlan plan;
  const GeneratorProgress& progress;
  ThemeIndex themes;
  matcher::Dataset data;
  std::vector<SizeClass> size;       // per collectivité
  std::vector<size_t> labelled;      // indices of the collectivités holding a label
  std::vector<size_t> link_begin;    // links of collectivité i: [link_begin[i], link_begin[i + 1])
  std::vector<size_t> link_country;  // per cooperation, its index in Countries()
  // The official list the authorities are drawn from; null or empty: invented ones.
  const std::vector<datasets::OfficialAuthority>* official = nullptr;
};

// Each stage appends its records to ctx.data.
void GenerateCollectivites(Context& ctx);
void GenerateCooperations(Context& ctx);
void GenerateMissions(Context& ctx);
void GenerateNeeds(Context& ctx);

// A uniform day in [from, to].
inline matcher::Date DayBetween(Rng& rng, matcher::Date from, matcher::Date to) {
  return matcher::Date{from.days + rng.Between(0, to.days - from.days)};
}
// Monday is 0 (1970-01-01 was a Thursday).
inline int Weekday(matcher::Date date) { return ((date.days % 7) + 7 + 3) % 7; }
inline matcher::Date OnOrAfterWeekday(matcher::Date date, int weekday) {
  return matcher::Date{date.days + (weekday - Weekday(date) + 7) % 7};
}
inline matcher::Date LastDayOfMonth(int year, unsigned month) {
  return matcher::Date{matcher::Date::FromYmd(year, month, 1).AddMonths(1).days - 1};
}

}  // namespace expectmatch::synth::internal
