#include "expectmatch/matcher/catalogue.h"

#include <unordered_set>

namespace expectmatch::matcher {

Catalogue::Catalogue(Dataset dataset, std::unordered_map<std::string, std::string> country_names)
    : dataset_(std::move(dataset)), taxonomy_(dataset_.themes), country_names_(std::move(country_names)) {
  const size_t n = dataset_.collectivites.size();
  collectivite_index_.reserve(n);
  for (size_t i = 0; i < n; ++i) collectivite_index_.emplace(dataset_.collectivites[i].id, i);
  for (size_t i = 0; i < dataset_.needs.size(); ++i) need_index_.emplace(dataset_.needs[i].id, i);

  cooperations_of_.resize(n);
  missions_of_.resize(n);
  commitments_of_.resize(n);
  for (size_t i = 0; i < dataset_.cooperations.size(); ++i) {
    int c = FindCollectivite(dataset_.cooperations[i].collectivite);
    if (c >= 0) cooperations_of_[c].push_back(i);
  }
  std::unordered_set<std::string> needs_with_mission;
  for (size_t i = 0; i < dataset_.missions.size(); ++i) {
    const Mission& m = dataset_.missions[i];
    int c = FindCollectivite(m.collectivite);
    if (c >= 0) missions_of_[c].push_back(i);
    if (!m.need.empty()) needs_with_mission.insert(m.need);
  }
  for (const Need& need : dataset_.needs) {
    bool committed = need.status == NeedStatus::kAssigned || need.status == NeedStatus::kInMission;
    if (!committed || need.selected.empty() || needs_with_mission.count(need.id)) continue;
    int c = FindCollectivite(need.selected);
    if (c >= 0) commitments_of_[c].push_back({need.id, need.period.start.Year()});
  }
}

int Catalogue::FindCollectivite(std::string_view id) const {
  auto it = collectivite_index_.find(std::string(id));
  return it == collectivite_index_.end() ? -1 : static_cast<int>(it->second);
}

int Catalogue::FindNeed(std::string_view id) const {
  auto it = need_index_.find(std::string(id));
  return it == need_index_.end() ? -1 : static_cast<int>(it->second);
}

const std::string& Catalogue::CountryName(const std::string& code) const {
  auto it = country_names_.find(code);
  return it == country_names_.end() ? code : it->second;
}

}  // namespace expectmatch::matcher
