// The past missions and the needs of a synthetic data set.
//
// Missions (2019–2026, fewer in the pandemic years) are mostly carried out by labelled
// authorities on their label themes, often in a country where they cooperate; most are rated
// 3 to 5 and reported within 2 months. Needs were submitted in 2026 for periods in 2027, name
// one to three weighted themes and, more often than not, a partner French authorities already
// work with, written 40 % of the time as the embassy typed it (generator_wording.h).
#include <algorithm>
#include <cstdio>
#include <unordered_map>

#include "generator_names.h"
#include "generator_steps.h"
#include "generator_wording.h"

namespace expectmatch::synth::internal {
namespace {

using matcher::Date;

// Missions start on a Monday more often than not, never in August.
Date WorkingStart(Rng& rng, Date from, Date to) {
  static const WeightedIndex kWeekdays(std::vector<double>{6, 3, 1});
  Date start = OnOrAfterWeekday(DayBetween(rng, from, to), static_cast<int>(kWeekdays.Draw(rng)));
  int year = start.Year();
  if (start >= Date::FromYmd(year, 8, 1) && start < Date::FromYmd(year, 9, 1)) {
    start = OnOrAfterWeekday(Date::FromYmd(year, 9, 1), 0);
  }
  return start;
}

Date MissionStart(Rng& rng, int year) {
  if (year == 2020) return WorkingStart(rng, Date::FromYmd(2020, 1, 6), Date::FromYmd(2020, 3, 9));
  if (year == 2021)
    return WorkingStart(rng, Date::FromYmd(2021, 6, 1), Date::FromYmd(2021, 12, 10));
  if (year == 2026)
    return WorkingStart(rng, Date::FromYmd(2026, 1, 5), Date::FromYmd(2026, 11, 16));
  return WorkingStart(rng, Date::FromYmd(year, 1, 6), Date::FromYmd(year, 12, 11));
}

int MissionDays(Rng& rng) {
  static const WeightedIndex kDays(std::vector<double>{1, 3, 3, 3});
  return 2 + static_cast<int>(kDays.Draw(rng));
}

std::string Numbered(std::string_view prefix, int year, size_t number) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%d-%03zu", year, number);
  return std::string(prefix) + digits;
}

WeightedIndex CountryTable() {
  std::vector<double> weights;
  for (const CountryRow& row : Countries()) weights.push_back(row.weight);
  return WeightedIndex(weights);
}

std::vector<size_t> LabelThemesOn(const ThemeIndex& themes, const matcher::Collectivite& c,
                                  Date day) {
  std::vector<size_t> out;
  for (const matcher::Label& label : c.labels) {
    if (label.CoversPeriod(day, day)) out.push_back(themes.Find(label.theme));
  }
  return out;
}

std::vector<std::string> WorkingLanguages(Rng& rng, NeedLanguages profile) {
  double u = rng.Uniform();
  switch (profile) {
    case NeedLanguages::kFrench:
      return u < 0.9 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"fr", "en"};
    case NeedLanguages::kFrenchArabic:
      if (u < 0.7) return {"fr"};
      return u < 0.95 ? std::vector<std::string>{"fr", "ar"} : std::vector<std::string>{"ar"};
    case NeedLanguages::kFrenchEnglish:
      if (u < 0.65) return {"fr"};
      return u < 0.85 ? std::vector<std::string>{"en"} : std::vector<std::string>{"fr", "en"};
    case NeedLanguages::kEnglish:
      if (u < 0.4) return {"en"};
      return u < 0.8 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"en", "fr"};
    case NeedLanguages::kSpanish:
      if (u < 0.5) return {"es"};
      return u < 0.8 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"es", "fr"};
    case NeedLanguages::kPortuguese:
      if (u < 0.5) return {"pt"};
      return u < 0.8 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"pt", "fr"};
  }
  return {"fr"};
}

bool Speaks(const matcher::Collectivite& c, const std::vector<std::string>& languages) {
  for (const std::string& code : languages) {
    if (std::find(c.languages.begin(), c.languages.end(), code) != c.languages.end()) return true;
  }
  return languages.empty();
}

}  // namespace

void GenerateMissions(Context& ctx) {
  Rng rng(ctx.options.seed, 3);
  const std::vector<matcher::Collectivite>& all = ctx.data.collectivites;
  const std::vector<matcher::Cooperation>& links = ctx.data.cooperations;
  const ThemeIndex& themes = ctx.themes;
  static const WeightedIndex kRatings(std::vector<double>{2, 6, 22, 40, 30});
  static const std::vector<double> kPerYear = {14, 5, 11, 16, 19, 20, 20, 17};  // 2019 to 2026
  std::vector<size_t> per_year = Apportion(kPerYear, ctx.plan.missions);
  std::vector<Date> starts;
  for (size_t y = 0; y < per_year.size(); ++y) {
    for (size_t k = 0; k < per_year[y]; ++k)
      starts.push_back(MissionStart(rng, 2019 + static_cast<int>(y)));
  }
  std::sort(starts.begin(), starts.end());

  std::vector<double> capacity;
  for (size_t i : ctx.labelled) capacity.push_back(all[i].capacity_per_year + 1.0);
  WeightedIndex by_capacity(capacity), countries = CountryTable();
  std::unordered_map<uint64_t, int> used;  // (collectivité, year) → missions
  std::unordered_map<int, size_t> numbers;
  StageProgress progress(ctx.progress, "missions", starts.size());

  for (Date start : starts) {
    size_t who = 0;
    for (int attempt = 0; attempt < 30; ++attempt) {
      who = !ctx.labelled.empty() && rng.Chance(0.9) ? ctx.labelled[by_capacity.Draw(rng)]
                                                     : rng.Below(all.size());
      if (used[who * 4096 + static_cast<uint64_t>(start.Year())] < all[who].capacity_per_year)
        break;
    }
    ++used[who * 4096 + static_cast<uint64_t>(start.Year())];
    const matcher::Collectivite& c = all[who];
    std::vector<size_t> active;
    for (size_t k = ctx.link_begin[who]; k < ctx.link_begin[who + 1]; ++k) {
      if (links[k].ActiveOn(start)) active.push_back(k);
    }

    matcher::Mission m;
    m.collectivite = c.id;
    size_t country = !active.empty() && rng.Chance(0.7) ? ctx.link_country[rng.Pick(active)]
                                                        : countries.Draw(rng);
    m.country = std::string(Countries()[country].code);
    std::vector<size_t> labels = LabelThemesOn(themes, c, start);
    size_t first = 0;
    if (!labels.empty() && rng.Chance(0.85)) {
      first = rng.Pick(labels);
    } else if (!active.empty() && rng.Chance(0.5)) {
      first = themes.Find(rng.Pick(links[rng.Pick(active)].themes));
    } else {
      first = themes.popular.Draw(rng);
    }
    m.themes = {themes.ids[first]};
    if (rng.Chance(0.35)) {
      size_t second =
          labels.size() > 1 && rng.Chance(0.4) ? rng.Pick(labels) : themes.Sibling(rng, first);
      if (second != first) m.themes.push_back(themes.ids[second]);
    }
    m.start = start;
    m.end = Date{start.days + MissionDays(rng) - 1};
    if (m.end.days < kToday.days - 61) {
      double u = rng.Uniform();
      if (u < 0.75) {
        m.report_delivered = std::min(Date{m.end.days + rng.Between(3, 60)}, m.end.AddMonths(2));
      } else if (u < 0.9) {
        m.report_delivered = Date{m.end.AddMonths(2).days + rng.Between(1, 120)};
      }
      if (m.report_delivered && *m.report_delivered >= kToday) m.report_delivered.reset();
      if (rng.Chance(0.93)) m.rating = 1 + static_cast<int>(kRatings.Draw(rng));
    }
    int year = start.Year();
    size_t number = ++numbers[year];
    m.id = Numbered("m-", year, number);
    m.need = Numbered("n-", year, number);
    ctx.data.missions.push_back(std::move(m));
    progress.Advance(ctx.data.missions.size());
  }
  progress.Finish();
}

void GenerateNeeds(Context& ctx) {
  Rng rng(ctx.options.seed, 4);
  const std::vector<matcher::Collectivite>& all = ctx.data.collectivites;
  const std::vector<matcher::Cooperation>& links = ctx.data.cooperations;
  const std::vector<CountryRow>& countries = Countries();
  const ThemeIndex& themes = ctx.themes;
  std::vector<std::vector<size_t>> country_links(countries.size());
  for (size_t k = 0; k < links.size(); ++k) country_links[ctx.link_country[k]].push_back(k);
  std::vector<std::vector<size_t>> holders(themes.ids.size());  // labelled collectivités per theme
  for (size_t i : ctx.labelled) {
    for (const matcher::Label& label : all[i].labels)
      holders[themes.Find(label.theme)].push_back(i);
  }
  PartnerBook book(countries.size());
  for (size_t k = 0; k < links.size(); ++k) book.Add(ctx.link_country[k], links[k].partner.name);
  WeightedIndex country_table = CountryTable();
  static const WeightedIndex kThemeCounts(std::vector<double>{45, 40, 15});
  static const WeightedIndex kExperts(std::vector<double>{40, 50, 10});
  static const std::vector<std::vector<double>> kSplits[] = {
      {{1.0}},
      {{0.5, 0.5}, {0.6, 0.4}, {0.7, 0.3}},
      {{0.5, 0.3, 0.2}, {0.4, 0.3, 0.3}, {0.6, 0.2, 0.2}}};
  StageProgress progress(ctx.progress, "besoins", ctx.plan.needs);

  std::vector<matcher::Need> needs;
  for (size_t k = 0; k < ctx.plan.needs; ++k) {
    matcher::Need need;
    size_t country = country_table.Draw(rng);
    need.country = std::string(countries[country].code);
    std::string conflict;
    bool known = false;  // a partner of the cooperations
    if (!country_links[country].empty() && rng.Chance(0.6)) {
      known = true;
      const matcher::Cooperation& link = links[rng.Pick(country_links[country])];
      need.partner = link.partner;
      conflict = link.collectivite;
    } else {
      need.partner.name = PartnerName(rng, countries[country].style);
    }
    size_t count = 1 + kThemeCounts.Draw(rng);
    std::vector<size_t> chosen = {themes.popular.Draw(rng)};
    while (chosen.size() < count) {
      size_t theme =
          rng.Chance(0.6) ? themes.Sibling(rng, chosen.front()) : themes.popular.Draw(rng);
      if (std::find(chosen.begin(), chosen.end(), theme) != chosen.end()) break;
      chosen.push_back(theme);
    }
    const std::vector<double>& split = rng.Pick(kSplits[chosen.size() - 1]);
    std::vector<ThemePhrase> phrases;
    for (size_t t = 0; t < chosen.size(); ++t) {
      need.themes.push_back({themes.ids[chosen[t]], split[t]});
      phrases.push_back({themes.ids[chosen[t]], themes.phrases[chosen[t]]});
    }
    need.languages = WorkingLanguages(rng, countries[country].languages);
    need.submitted_at = DayBetween(rng, Date::FromYmd(2026, 1, 5), Date{kToday.days - 1});
    bool assign = *need.submitted_at < Date::FromYmd(2026, 8, 15) && rng.Chance(0.12);
    need.period.start =
        WorkingStart(rng, Date::FromYmd(2027, 1, 11),
                     assign ? Date::FromYmd(2027, 5, 20) : Date::FromYmd(2027, 11, 26));
    int days = MissionDays(rng);
    need.period.end = Date{need.period.start.days + days - 1};
    need.experts_needed = 1 + static_cast<int>(kExperts.Draw(rng));
    Rng wording = WordingStream(rng, 5);
    WordNeed(wording, known, country, book, &need, phrases, days);
    if (!conflict.empty() && rng.Chance(0.15)) need.excluded.push_back(conflict);
    if (assign) {
      const std::vector<size_t>& candidates = holders[chosen.front()];
      size_t offset = candidates.empty() ? 0 : rng.Below(candidates.size());
      for (size_t c = 0; c < candidates.size() && need.selected.empty(); ++c) {
        const matcher::Collectivite& candidate = all[candidates[(offset + c) % candidates.size()]];
        bool covered = false;
        for (const matcher::Label& label : candidate.labels) {
          covered |= label.theme == themes.ids[chosen.front()] &&
                     label.CoversPeriod(need.period.start, need.period.end);
        }
        if (covered && Speaks(candidate, need.languages) && candidate.id != conflict)
          need.selected = candidate.id;
      }
    }
    if (!need.selected.empty()) {
      need.status = matcher::NeedStatus::kAssigned;
    } else if (rng.Chance(0.04)) {
      need.status = matcher::NeedStatus::kCancelled;
    } else if (*need.submitted_at < Date::FromYmd(2026, 10, 15) && rng.Chance(0.55)) {
      need.status = matcher::NeedStatus::kShortlisted;
    }
    needs.push_back(std::move(need));
    progress.Advance(needs.size());
  }

  // Numbered by submission after the needs of this year's missions.
  std::stable_sort(needs.begin(), needs.end(), [](const matcher::Need& a, const matcher::Need& b) {
    return *a.submitted_at < *b.submitted_at;
  });
  size_t first = 1;
  for (const matcher::Mission& m : ctx.data.missions) first += m.start.Year() == 2026;
  for (size_t k = 0; k < needs.size(); ++k) needs[k].id = Numbered("n-", 2026, first + k);
  ctx.data.needs = std::move(needs);
  progress.Finish();
}

}  // namespace expectmatch::synth::internal
