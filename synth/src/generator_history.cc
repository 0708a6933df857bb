// Past needs decided by a simulated officer with a hidden true weighting (generator.h,
// AddHistory), for checking that offline tuning recovers it.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/synth/generator.h"
#include "expectmatch/tuning/as_of.h"
#include "generator_names.h"
#include "generator_steps.h"
#include "generator_wording.h"
#include "nlohmann/json.hpp"

namespace expectmatch::synth {
namespace {

using internal::Rng;
using matcher::Date;

const Date kFirstDecision = Date::FromYmd(2020, 1, 6);
const Date kLastDecision = Date::FromYmd(2026, 6, 30);

std::vector<std::string> Languages(Rng& rng, internal::NeedLanguages profile) {
  using L = internal::NeedLanguages;
  double u = rng.Uniform();
  switch (profile) {
    case L::kFrench:
      return u < 0.9 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"fr", "en"};
    case L::kFrenchArabic:
      return u < 0.75 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"fr", "ar"};
    case L::kFrenchEnglish:
      return u < 0.7 ? std::vector<std::string>{"fr"} : std::vector<std::string>{"en"};
    case L::kEnglish:
      return u < 0.5 ? std::vector<std::string>{"en"} : std::vector<std::string>{"fr"};
    case L::kSpanish:
      return u < 0.5 ? std::vector<std::string>{"es"} : std::vector<std::string>{"fr"};
    case L::kPortuguese:
      return u < 0.5 ? std::vector<std::string>{"pt"} : std::vector<std::string>{"fr"};
  }
  return {"fr"};
}

// A Monday 4 to 16 weeks after `day`, moved to September when it falls in August.
Date MissionStart(Rng& rng, Date day) {
  Date start = internal::OnOrAfterWeekday(Date{day.days + rng.Between(28, 112)}, 0);
  int year = start.Year();
  if (start >= Date::FromYmd(year, 8, 1) && start < Date::FromYmd(year, 9, 1)) {
    start = internal::OnOrAfterWeekday(Date::FromYmd(year, 9, 1), 0);
  }
  return start;
}

}  // namespace

HiddenTruth AddHistory(matcher::Dataset* data, const HistoryOptions& options,
                       const GeneratorProgress& progress) {
  HiddenTruth truth;
  Rng hidden(options.seed, 20), draw(options.seed, 21), outcome(options.seed, 22);
  double total = 0.0;
  for (double& w : truth.weights) total += w = 0.1 - internal::Log(1.0 - hidden.Uniform());
  for (double& w : truth.weights) w /= total;
  const size_t n_authorities = data->collectivites.size();
  std::vector<double> standing(n_authorities), quality(n_authorities);
  for (size_t c = 0; c < n_authorities; ++c) {
    standing[c] = truth.unseen_sd * hidden.Normal();
    quality[c] = truth.quality_sd * hidden.Normal();
  }
  std::unordered_map<std::string, size_t> authority_index;
  for (size_t c = 0; c < n_authorities; ++c) authority_index.emplace(data->collectivites[c].id, c);

  const internal::ThemeIndex themes;
  const std::vector<internal::CountryRow>& countries = internal::Countries();
  std::unordered_map<std::string_view, size_t> country_row;
  for (size_t i = 0; i < countries.size(); ++i) country_row.emplace(countries[i].code, i);
  std::vector<double> country_weights;
  for (const auto& row : countries) country_weights.push_back(row.weight);
  const internal::WeightedIndex country_table(country_weights);
  std::vector<size_t> labelled;
  for (size_t c = 0; c < n_authorities; ++c) {
    if (!data->collectivites[c].labels.empty()) labelled.push_back(c);
  }
  std::vector<size_t> known_links;  // cooperations in a country of the generator's table
  for (size_t k = 0; k < data->cooperations.size(); ++k) {
    if (country_row.count(data->cooperations[k].country)) known_links.push_back(k);
  }
  internal::PartnerBook book(countries.size());
  for (const matcher::Cooperation& link : data->cooperations) {
    if (auto it = country_row.find(link.country); it != country_row.end())
      book.Add(it->second, link.partner.name);
  }
  // New partners of the open needs; a partner as typed is a spelling, not another partner.
  for (const matcher::Need& need : data->needs) {
    auto it = country_row.find(need.country);
    if (it != country_row.end() && need.partner.id.empty() &&
        !book.Conflicts(it->second, need.partner.name, need.partner.name))
      book.Add(it->second, need.partner.name);
  }
  static const internal::WeightedIndex kThemeCounts(std::vector<double>{50, 40, 10});
  static const std::vector<std::vector<double>> kSplits[] = {
      {{1.0}},
      {{0.5, 0.5}, {0.6, 0.4}, {0.7, 0.3}},
      {{0.5, 0.3, 0.2}, {0.4, 0.3, 0.3}, {0.6, 0.2, 0.2}}};

  // Decision days, in order.
  std::vector<Date> days;
  for (size_t i = 0; i < options.needs; ++i)
    days.push_back(internal::DayBetween(draw, kFirstDecision, kLastDecision));
  std::sort(days.begin(), days.end());

  tuning::AsOfCatalogues snapshots(*data, datasets::CountryTable());
  std::unique_ptr<matcher::Catalogue> catalogue;
  Date catalogue_day{0};
  std::map<int, size_t> numbers;
  internal::StageProgress stage(progress, "historique", options.needs);
  for (size_t i = 0; i < days.size(); ++i) {
    const Date day = days[i];
    matcher::Need need;
    // Country and partner: most often where French authorities already cooperate.
    size_t country = country_table.Draw(draw);
    bool known = false;  // a partner of the cooperations
    if (!known_links.empty() && draw.Chance(0.7)) {
      const matcher::Cooperation& link = data->cooperations[draw.Pick(known_links)];
      country = country_row.at(link.country);
      known = draw.Chance(0.6);
      if (known) need.partner = link.partner;
    }
    need.country = std::string(countries[country].code);
    if (need.partner.name.empty())
      need.partner.name = internal::PartnerName(draw, countries[country].style);
    // Themes: mostly one some authority is labelled on.
    size_t first = themes.popular.Draw(draw);
    if (!labelled.empty() && draw.Chance(0.85)) {
      const matcher::Collectivite& holder = data->collectivites[draw.Pick(labelled)];
      first = themes.Find(draw.Pick(holder.labels).theme);
    }
    std::vector<size_t> chosen = {first};
    const size_t count = 1 + kThemeCounts.Draw(draw);
    while (chosen.size() < count) {
      size_t theme = draw.Chance(0.6) ? themes.Sibling(draw, first) : themes.popular.Draw(draw);
      if (std::find(chosen.begin(), chosen.end(), theme) != chosen.end()) break;
      chosen.push_back(theme);
    }
    const std::vector<double>& split = draw.Pick(kSplits[chosen.size() - 1]);
    std::vector<internal::ThemePhrase> phrases;
    for (size_t t = 0; t < chosen.size(); ++t) {
      need.themes.push_back({themes.ids[chosen[t]], split[t]});
      phrases.push_back({themes.ids[chosen[t]], themes.phrases[chosen[t]]});
    }
    need.languages = Languages(draw, countries[country].languages);
    need.submitted_at = day;
    need.period.start = MissionStart(draw, day);
    const int length = draw.Between(2, 5);
    need.period.end = Date{need.period.start.days + length - 1};
    need.experts_needed = draw.Chance(0.6) ? 1 : 2;
    Rng wording = internal::WordingStream(draw, 23);
    internal::WordNeed(wording, known, country, book, &need, phrases, length);
    const int year = day.Year();
    char id[32];
    std::snprintf(id, sizeof id, "nh-%d-%04zu", year, ++numbers[year]);
    need.id = id;

    // The officer's choice among the authorities eligible that day.
    if (!catalogue || catalogue_day != day) {
      catalogue = snapshots.At(day);
      catalogue_day = day;
    }
    std::vector<matcher::Candidate> candidates = tuning::EligibleCandidates(*catalogue, need);
    int best = -1;
    double best_utility = 0.0;
    for (size_t c = 0; c < candidates.size(); ++c) {
      double score = 0.0;
      for (size_t f = 0; f < matcher::kFeatureCount; ++f)
        score += truth.weights[f] * candidates[c].values[f];
      const size_t who =
          authority_index.at(catalogue->collectivites()[candidates[c].collectivite].id);
      double u = std::max(outcome.Uniform(), 1e-300);
      double gumbel = -internal::Log(-internal::Log(u));
      double utility = score / truth.temperature + standing[who] + gumbel;
      if (best < 0 || utility > best_utility) {
        best = static_cast<int>(c);
        best_utility = utility;
      }
    }
    if (best < 0) {
      need.status = matcher::NeedStatus::kCancelled;
      ++truth.cancelled;
    } else {
      const matcher::Candidate& pick = candidates[static_cast<size_t>(best)];
      const std::string& selected = catalogue->collectivites()[pick.collectivite].id;
      const size_t who = authority_index.at(selected);
      need.selected = selected;
      ++truth.decided;
      matcher::Mission m;
      m.id = "m-" + need.id;
      m.need = need.id;
      m.collectivite = selected;
      m.country = need.country;
      for (size_t t : chosen) m.themes.push_back(themes.ids[t]);
      m.start = need.period.start;
      m.end = need.period.end;
      const double thematic = pick.values[static_cast<size_t>(matcher::Feature::kThematic)];
      const double noise = outcome.Normal();
      const double uq = outcome.Uniform(), ur = outcome.Uniform();
      const int delay = outcome.Between(3, 60), late = outcome.Between(1, 120);
      const Date due = m.end.AddMonths(2);
      if (m.end < internal::kToday && uq < 0.93) {
        double raw = 3.4 + quality[who] + 1.5 * (thematic - 0.6) + 0.6 * noise;
        m.rating = static_cast<int>(std::clamp(std::floor(raw + 0.5), 1.0, 5.0));
      }
      if (ur < 0.75) {
        m.report_delivered = std::min(Date{m.end.days + delay}, due);
      } else if (ur < 0.9) {
        m.report_delivered = Date{due.days + late};
      }
      if (m.report_delivered && !(*m.report_delivered < internal::kToday))
        m.report_delivered.reset();
      if (m.report_delivered) {
        need.status = matcher::NeedStatus::kClosed;
      } else {
        need.status = due < internal::kToday ? matcher::NeedStatus::kReportDue
                                             : matcher::NeedStatus::kInMission;
      }
      data->missions.push_back(std::move(m));
    }
    data->needs.push_back(std::move(need));
    stage.Advance(i + 1);
  }
  stage.Finish();
  return truth;
}

void WriteHiddenTruth(const HiddenTruth& truth, uint64_t seed, const std::filesystem::path& path) {
  nlohmann::ordered_json weights = nlohmann::ordered_json::object();
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
    weights[std::string(matcher::FeatureName(static_cast<matcher::Feature>(f)))] = truth.weights[f];
  }
  nlohmann::ordered_json doc = {
      {"description",
       "Pondération cachée de l'agent simulé qui a choisi les collectivités des besoins "
       "historiques (nh-*). "
       "Ne sert qu'à vérifier un réglage : expectmatch tune ne lit jamais ce fichier."},
      {"seed", seed},
      {"weights", weights},
      {"temperature", truth.temperature},
      {"unseen_sd", truth.unseen_sd},
      {"quality_sd", truth.quality_sd},
      {"decided", truth.decided},
      {"cancelled", truth.cancelled}};
  std::ofstream out(path, std::ios::binary);
  out << doc.dump(2) << "\n";
  out.close();
  if (!out)
    throw std::filesystem::filesystem_error("cannot write", path,
                                            std::make_error_code(std::errc::io_error));
}

}  // namespace expectmatch::synth
