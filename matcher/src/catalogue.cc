#include "expectmatch/matcher/catalogue.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_set>

namespace expectmatch::matcher {
Catalogue::Catalogue(Dataset dataset, CountryTable countries)
    : dataset_(std::move(dataset)), taxonomy_(dataset_.themes), countries_(std::move(countries)) {
  const size_t n = dataset_.collectivites.size();
  collectivite_index_.reserve(n);
  for (size_t i = 0; i < n; ++i)
    collectivite_index_.emplace(dataset_.collectivites[i].id, static_cast<AuthorityIndex>(i));
  for (size_t i = 0; i < dataset_.needs.size(); ++i)
    need_index_.emplace(dataset_.needs[i].id, static_cast<uint32_t>(i));

  // Columns.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return dataset_.collectivites[a].id < dataset_.collectivites[b].id;
  });
  id_rank_.resize(static_cast<Eigen::Index>(n));
  for (size_t r = 0; r < n; ++r) id_rank_[order[r]] = static_cast<uint32_t>(r);
  capacity_.resize(static_cast<Eigen::Index>(n));
  languages_.assign(n, LanguageMask{});
  label_themes_.resize(n);
  label_postings_.resize(taxonomy_.size());
  for (size_t c = 0; c < n; ++c) {
    const Collectivite& collectivite = dataset_.collectivites[c];
    capacity_[static_cast<Eigen::Index>(c)] = collectivite.capacity_per_year;
    for (const std::string& code : collectivite.languages) {
      auto [it, inserted] = language_bit_.emplace(code, static_cast<int>(language_bit_.size()));
      if (it->second < 256)
        languages_[c][static_cast<size_t>(it->second) / 64] |= uint64_t{1} << (it->second % 64);
    }
    for (const Label& label : collectivite.labels) {
      ThemeIndex theme = taxonomy_.Find(label.theme);
      label_themes_[c].push_back(theme);
      if (theme == kNoTheme) continue;
      label_postings_[static_cast<size_t>(theme)].push_back(
          {static_cast<AuthorityIndex>(c), label.since.days,
           label.until ? label.until->days : kOpenEnded});
    }
  }

  // Cooperations, and the graph built from them.
  cooperations_of_.resize(n);
  std::vector<int> authority_of(dataset_.cooperations.size(), -1);
  for (size_t i = 0; i < dataset_.cooperations.size(); ++i) {
    int c = FindCollectivite(dataset_.cooperations[i].collectivite);
    authority_of[i] = c;
    if (c >= 0) cooperations_of_[static_cast<size_t>(c)].push_back(static_cast<uint32_t>(i));
  }
  graph_ = CooperationGraph(n, dataset_.cooperations, authority_of);
  link_country_.resize(dataset_.cooperations.size());
  for (size_t i = 0; i < dataset_.cooperations.size(); ++i)
    link_country_[i] = InternCountry(dataset_.cooperations[i].country);

  // Missions: per authority, interned themes, mean rating, capacity used per year.
  missions_of_.resize(n);
  mission_themes_.resize(dataset_.missions.size());
  std::vector<std::map<int, int>> used(n);
  std::unordered_set<std::string> needs_with_mission;
  double rating_sum = 0.0;
  int rated = 0;
  for (size_t i = 0; i < dataset_.missions.size(); ++i) {
    const Mission& m = dataset_.missions[i];
    for (const std::string& theme : m.themes) mission_themes_[i].push_back(taxonomy_.Find(theme));
    report_due_.push_back(m.end.AddMonths(kDefaultReportDueMonths));
    if (!m.need.empty()) missions_of_need_[m.need].push_back(static_cast<uint32_t>(i));
    if (m.rating) {
      rating_sum += (*m.rating - 1) / 4.0;
      ++rated;
    }
    if (!m.need.empty()) needs_with_mission.insert(m.need);
    int c = FindCollectivite(m.collectivite);
    if (c < 0) continue;
    missions_of_[static_cast<size_t>(c)].push_back(static_cast<uint32_t>(i));
    ++used[static_cast<size_t>(c)][m.start.Year()];
  }
  if (rated > 0) mean_rating_quality_ = rating_sum / rated;
  for (const Need& need : dataset_.needs) {
    bool committed = need.status == NeedStatus::kAssigned || need.status == NeedStatus::kInMission;
    if (!committed || need.selected.empty() || needs_with_mission.count(need.id)) continue;
    int c = FindCollectivite(need.selected);
    if (c < 0) continue;
    commitments_.push_back({need.id, static_cast<AuthorityIndex>(c), need.period.start.Year()});
    ++used[static_cast<size_t>(c)][need.period.start.Year()];
  }
  usage_offsets_.assign(n + 1, 0);
  for (size_t c = 0; c < n; ++c) {
    usage_offsets_[c] = static_cast<uint32_t>(usage_.size());
    for (const auto& [year, count] : used[c]) usage_.emplace_back(year, count);
  }
  usage_offsets_[n] = static_cast<uint32_t>(usage_.size());

  // Columnar copies, per authority in entity order.
  label_offsets_.assign(n + 1, 0);
  link_offsets_.assign(n + 1, 0);
  mission_offsets_.assign(n + 1, 0);
  for (size_t c = 0; c < n; ++c) {
    label_offsets_[c] = static_cast<uint32_t>(label_cells_.size());
    const auto& labels = dataset_.collectivites[c].labels;
    for (size_t l = 0; l < labels.size(); ++l) {
      label_cells_.push_back({label_themes_[c][l], labels[l].since.days,
                              labels[l].until ? labels[l].until->days : kOpenEnded});
    }
    link_offsets_[c] = static_cast<uint32_t>(link_cells_.size());
    for (uint32_t i : cooperations_of_[c]) {
      const Cooperation& link = dataset_.cooperations[i];
      link_cells_.push_back({link_country_[i], graph_.LinkPartner(i), link.since.days,
                             link.until ? link.until->days : kOpenEnded});
    }
    mission_offsets_[c] = static_cast<uint32_t>(mission_cells_.size());
    for (uint32_t i : missions_of_[c]) {
      const Mission& m = dataset_.missions[i];
      MissionCell cell;
      cell.end = m.end.days;
      cell.report_due = report_due_[i].days;
      cell.delivered = m.report_delivered ? m.report_delivered->days : kNever;
      cell.rating = m.rating.value_or(0);
      cell.country = InternCountry(m.country);
      cell.themes_begin = static_cast<uint32_t>(mission_theme_cells_.size());
      mission_theme_cells_.insert(mission_theme_cells_.end(), mission_themes_[i].begin(),
                                  mission_themes_[i].end());
      cell.themes_end = static_cast<uint32_t>(mission_theme_cells_.size());
      mission_cells_.push_back(cell);
    }
  }
  label_offsets_[n] = static_cast<uint32_t>(label_cells_.size());
  link_offsets_[n] = static_cast<uint32_t>(link_cells_.size());
  mission_offsets_[n] = static_cast<uint32_t>(mission_cells_.size());
}

int Catalogue::InternCountry(const std::string& code) {
  auto [it, inserted] = country_index_.emplace(code, static_cast<int>(country_subregion_.size()));
  if (inserted) {
    const CountryInfo* info = Country(code);
    country_subregion_.push_back(info ? info->subregion : 0);
  }
  return it->second;
}

int Catalogue::FindCollectivite(std::string_view id) const {
  auto it = collectivite_index_.find(std::string(id));
  return it == collectivite_index_.end() ? -1 : static_cast<int>(it->second);
}

int Catalogue::FindNeed(std::string_view id) const {
  auto it = need_index_.find(std::string(id));
  return it == need_index_.end() ? -1 : static_cast<int>(it->second);
}

const std::vector<uint32_t>& Catalogue::MissionsOfNeed(const std::string& need) const {
  static const std::vector<uint32_t> kNone;
  auto it = missions_of_need_.find(need);
  return it == missions_of_need_.end() ? kNone : it->second;
}

int Catalogue::CapacityUsed(AuthorityIndex c, int year) const {
  for (uint32_t i = usage_offsets_[c]; i < usage_offsets_[c + 1]; ++i) {
    if (usage_[i].first == year) return usage_[i].second;
  }
  return 0;
}

LanguageMask Catalogue::MaskOf(const std::vector<std::string>& codes) const {
  LanguageMask mask{};
  for (const std::string& code : codes) {
    auto it = language_bit_.find(code);
    if (it != language_bit_.end() && it->second < 256)
      mask[static_cast<size_t>(it->second) / 64] |= uint64_t{1} << (it->second % 64);
  }
  return mask;
}

int Catalogue::CountryIndexOf(const std::string& code) const {
  auto it = country_index_.find(code);
  return it == country_index_.end() ? -1 : it->second;
}

const std::string& Catalogue::CountryName(const std::string& code) const {
  auto it = countries_.find(code);
  return it == countries_.end() ? code : it->second.name_fr;
}

const CountryInfo* Catalogue::Country(const std::string& code) const {
  auto it = countries_.find(code);
  return it == countries_.end() ? nullptr : &it->second;
}

}  // namespace expectmatch::matcher
