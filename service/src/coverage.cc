#include "expectmatch/service/coverage.h"

#include <algorithm>
#include <climits>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::service {
namespace {

using datasets::Json;
using matcher::AuthorityIndex;
using matcher::Catalogue;
using matcher::Date;
using matcher::Need;
using matcher::ThemeIndex;

// One need of the period and what its ranking found.
struct RankedNeed {
  const Need* need = nullptr;
  matcher::Ranking ranking;
};

// A country × theme cell: its needs and the best score of each eligible authority.
struct Cell {
  std::vector<const RankedNeed*> needs;
  std::unordered_map<AuthorityIndex, double> best_score;
};

struct CountryTotals {
  std::vector<const RankedNeed*> needs;
  std::map<std::string, Cell> themes;  // by theme id
};

double Share(size_t part, size_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

Json ByFilter(const matcher::Ranking& ranking) {
  Json by_filter = Json::object();
  for (size_t f = 0; f < matcher::kFilterCount; ++f)
    by_filter[std::string(matcher::FilterName(static_cast<matcher::Filter>(f)))] =
        ranking.excluded_counts[f];
  return by_filter;
}

Json UncoveredNeed(const RankedNeed& ranked) {
  return {{"id", ranked.need->id},
          {"period",
           {{"start", matcher::FormatIsoDate(ranked.need->period.start)},
            {"end", matcher::FormatIsoDate(ranked.need->period.end)}}},
          {"status", std::string(datasets::StatusName(ranked.need->status))},
          {"excluded",
           {{"total", ranked.ranking.considered - ranked.ranking.eligible},
            {"by_filter", ByFilter(ranked.ranking)}}}};
}

}  // namespace

Status ParseCoverageQuery(const QueryParameters& parameters, const Catalogue& catalogue,
                          CoverageQuery* query) {
  std::vector<FieldIssue> errors;
  std::optional<Date> from, to;
  bool seen_from = false, seen_to = false;
  query->theme.clear();
  for (const auto& [name, value] : parameters) {
    if (name == "from" || name == "to") {
      bool& seen = name == "from" ? seen_from : seen_to;
      if (seen) {
        errors.push_back({"", name, "given more than once"});
        continue;
      }
      seen = true;
      std::optional<Date> date = matcher::ParseIsoDate(value);
      if (!date)
        errors.push_back({"", name, "invalid date \"" + value + "\", expected YYYY-MM-DD"});
      (name == "from" ? from : to) = date;
    } else if (name == "theme") {
      if (!query->theme.empty()) {
        errors.push_back({"", name, "given more than once"});
      } else if (value.empty()) {
        errors.push_back({"", name, "empty theme; leave the parameter out for every theme"});
      } else if (!catalogue.taxonomy().Contains(value)) {
        errors.push_back({"", name, "unknown theme \"" + value + "\""});
      } else {
        query->theme = value;
      }
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!seen_from) errors.push_back({"", "from", "required (YYYY-MM-DD)"});
  if (!seen_to) errors.push_back({"", "to", "required (YYYY-MM-DD)"});
  if (from && to) {
    if (*to < *from) {
      errors.push_back({"", "to", "before from"});
    } else if (*to >= from->AddMonths(12 * kMaxCoverageYears)) {
      errors.push_back(
          {"", "to",
           "the period may span at most " + std::to_string(kMaxCoverageYears) + " years"});
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("invalid coverage parameters", errors);
  query->from = *from;
  query->to = *to;
  return Status::Ok();
}

Json ComputeCoverage(const Catalogue& catalogue, const matcher::Profile& profile,
                     const CoverageQuery& query) {
  const matcher::Taxonomy& taxonomy = catalogue.taxonomy();
  const auto& collectivites = catalogue.collectivites();
  const ThemeIndex filter = query.theme.empty() ? matcher::kNoTheme : taxonomy.Find(query.theme);
  auto kept = [&](const std::string& theme) {
    return filter == matcher::kNoTheme || taxonomy.IsSelfOrAncestor(filter, taxonomy.Find(theme));
  };

  // Every need of the period is ranked once, with k the number of labelled authorities (only
  // they can pass the label filter): the candidates are all the eligible ones.
  matcher::RankOptions options;
  options.k = 0;
  for (AuthorityIndex c = 0; c < catalogue.size(); ++c)
    options.k += !catalogue.LabelCells(c).empty();
  options.explain = false;
  std::vector<RankedNeed> ranked;
  for (const Need& need : catalogue.needs()) {
    if (need.status == matcher::NeedStatus::kCancelled) continue;
    if (need.period.end < query.from || need.period.start > query.to) continue;
    if (std::none_of(need.themes.begin(), need.themes.end(),
                     [&](const matcher::NeedTheme& t) { return kept(t.theme); }))
      continue;
    ranked.push_back({&need, matcher::RankNeed(catalogue, need, profile, options)});
  }

  std::map<std::string, CountryTotals> countries;
  std::map<std::string, size_t> theme_demand;  // needs per theme in demand
  for (const RankedNeed& r : ranked) {
    CountryTotals& country = countries[r.need->country];
    country.needs.push_back(&r);
    for (const matcher::NeedTheme& t : r.need->themes) {
      if (!kept(t.theme)) continue;
      Cell& cell = country.themes[t.theme];
      if (!cell.needs.empty() && cell.needs.back() == &r) continue;  // a theme named twice
      cell.needs.push_back(&r);
      ++theme_demand[t.theme];
      for (const matcher::Candidate& c : r.ranking.candidates) {
        auto [at, inserted] = cell.best_score.emplace(c.collectivite, c.score);
        if (!inserted) at->second = std::max(at->second, c.score);
      }
    }
  }

  size_t total_needs = 0, total_uncovered = 0;
  Json country_items = Json::array();
  for (const auto& [code, country] : countries) {
    size_t uncovered = 0;
    for (const RankedNeed* r : country.needs) uncovered += r->ranking.eligible == 0;
    total_needs += country.needs.size();
    total_uncovered += uncovered;
    Json themes = Json::array();
    for (const auto& [theme, cell] : country.themes) {
      std::vector<std::pair<AuthorityIndex, double>> eligible(cell.best_score.begin(),
                                                              cell.best_score.end());
      std::sort(eligible.begin(), eligible.end(), [&](const auto& a, const auto& b) {
        if (a.second != b.second) return a.second > b.second;
        return catalogue.IdRank(a.first) < catalogue.IdRank(b.first);
      });
      Json top = Json::array();
      for (size_t i = 0; i < eligible.size() && i < kCoverageTop; ++i) {
        const matcher::Collectivite& c = collectivites[eligible[i].first];
        top.push_back(
            {{"id", c.id}, {"name", c.name}, {"region", c.region}, {"score", eligible[i].second}});
      }
      Json uncovered_needs = Json::array();
      for (const RankedNeed* r : cell.needs) {
        if (r->ranking.eligible != 0) continue;
        uncovered_needs.push_back(UncoveredNeed(*r));
      }
      const size_t cell_uncovered = uncovered_needs.size();
      themes.push_back({{"theme", theme},
                        {"label", taxonomy.Get(theme).label},
                        {"needs", cell.needs.size()},
                        {"uncovered", cell_uncovered},
                        {"eligible_authorities", eligible.size()},
                        {"top_authorities", std::move(top)},
                        {"uncovered_needs", std::move(uncovered_needs)}});
    }
    const datasets::Country* info = datasets::FindCountry(code);
    country_items.push_back({{"country", code},
                             {"name", info ? std::string(info->name_fr) : code},
                             {"needs", country.needs.size()},
                             {"uncovered_needs", uncovered},
                             {"share_uncovered", Share(uncovered, country.needs.size())},
                             {"themes", std::move(themes)}});
  }
  // Most uncovered needs first, then the larger share, then the code.
  std::stable_sort(country_items.begin(), country_items.end(), [](const Json& a, const Json& b) {
    if (a["uncovered_needs"] != b["uncovered_needs"])
      return a["uncovered_needs"].get<size_t>() > b["uncovered_needs"].get<size_t>();
    return a["share_uncovered"].get<double>() > b["share_uncovered"].get<double>();
  });

  // Theme × région: the authorities labelled on each theme in demand (or on its domain, as the
  // label filter reads them) on at least one day of the period, by région.
  const std::vector<std::string_view>& regions = datasets::FrenchRegions();
  Json region_names = Json::array();
  for (std::string_view region : regions) region_names.push_back(std::string(region));
  std::vector<std::pair<std::string, size_t>> demand(theme_demand.begin(), theme_demand.end());
  std::stable_sort(demand.begin(), demand.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  Json theme_regions = Json::array();
  std::vector<int> seen(collectivites.size(), -1);
  int stamp = 0;
  for (const auto& [theme, needs] : demand) {
    ++stamp;
    std::map<std::string_view, size_t> per_region;
    size_t labelled = 0;
    for (ThemeIndex t = taxonomy.Find(theme); t != matcher::kNoTheme; t = taxonomy.Parent(t)) {
      for (const matcher::LabelPosting& posting : catalogue.LabelsOnTheme(t)) {
        if (posting.since > query.to.days || posting.until < query.from.days) continue;
        if (seen[posting.authority] == stamp) continue;
        seen[posting.authority] = stamp;
        ++labelled;
        ++per_region[collectivites[posting.authority].region];
      }
    }
    Json by_region = Json::array();
    for (std::string_view region : regions) {
      auto found = per_region.find(region);
      by_region.push_back(found == per_region.end() ? 0 : found->second);
    }
    theme_regions.push_back({{"theme", theme},
                             {"label", taxonomy.Get(theme).label},
                             {"needs", needs},
                             {"labelled_authorities", labelled},
                             {"by_region", std::move(by_region)}});
  }

  return {{"from", matcher::FormatIsoDate(query.from)},
          {"to", matcher::FormatIsoDate(query.to)},
          {"theme", query.theme.empty() ? Json(nullptr) : Json(query.theme)},
          {"profile", {{"name", profile.name}, {"version", profile.version}}},
          {"needs", total_needs},
          {"uncovered_needs", total_uncovered},
          {"share_uncovered", Share(total_uncovered, total_needs)},
          {"countries", std::move(country_items)},
          {"regions", std::move(region_names)},
          {"theme_regions", std::move(theme_regions)}};
}

Status Coverage::Get(const QueryParameters& parameters, Json* coverage) const {
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  CoverageQuery query;
  Status status = ParseCoverageQuery(parameters, snapshot->catalogue, &query);
  if (!status.ok()) return status;
  std::optional<matcher::Profile> profile = profiles_.Latest("default");
  *coverage =
      ComputeCoverage(snapshot->catalogue, profile ? *profile : matcher::DefaultProfile(), query);
  return Status::Ok();
}

}  // namespace expectmatch::service
