#include "expectmatch/store_rows/store_rows.h"

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/date.h"

namespace expectmatch::store_rows {

store::Document ThemeRowFor(const matcher::Theme& theme) {
  return {theme.id, datasets::Encode(theme).dump()};
}

store::CollectiviteRow CollectiviteRowFor(const matcher::Collectivite& collectivite) {
  store::CollectiviteRow row{collectivite.id,
                             datasets::Encode(collectivite).dump(),
                             collectivite.region,
                             std::string(datasets::KindName(collectivite.kind)),
                             {},
                             collectivite.languages,
                             collectivite.siren};
  for (const matcher::Label& label : collectivite.labels) row.label_themes.push_back(label.theme);
  return row;
}

store::CooperationRow CooperationRowFor(const matcher::Cooperation& cooperation) {
  return {cooperation.collectivite, datasets::Encode(cooperation).dump()};
}

store::MissionRow MissionRowFor(const matcher::Mission& mission) {
  return {mission.id, datasets::Encode(mission).dump(), mission.need, mission.collectivite,
          mission.rating};
}

store::NeedRow NeedRowFor(const matcher::Need& need) {
  store::NeedRow row{need.id,
                     need.country,
                     std::string(datasets::StatusName(need.status)),
                     need.submitted_at ? matcher::FormatIsoDate(*need.submitted_at) : "",
                     datasets::Encode(need).dump(),
                     matcher::FormatIsoDate(need.period.start),
                     matcher::FormatIsoDate(need.period.end),
                     {},
                     need.selected};
  for (const matcher::NeedTheme& theme : need.themes) row.themes.push_back(theme.theme);
  return row;
}

store::SeedDocuments SeedDocumentsFor(const matcher::Dataset& dataset, const std::string& source) {
  store::SeedDocuments out;
  out.source = source;
  for (const auto& theme : dataset.themes) out.themes.push_back(ThemeRowFor(theme));
  for (const auto& c : dataset.collectivites) out.collectivites.push_back(CollectiviteRowFor(c));
  for (const auto& link : dataset.cooperations) out.cooperations.push_back(CooperationRowFor(link));
  for (const auto& m : dataset.missions) out.missions.push_back(MissionRowFor(m));
  for (const auto& need : dataset.needs) out.needs.push_back(NeedRowFor(need));
  return out;
}

}  // namespace expectmatch::store_rows
