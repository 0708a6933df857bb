#include "expectmatch/service/snapshot.h"

#include <stdexcept>
#include <unordered_map>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/ranking_log.h"
#include "expectmatch/store_rows/store_rows.h"

namespace expectmatch::service {
namespace {

template <typename Rows>
datasets::Json ToArray(const Rows& rows, const std::string& table) {
  datasets::Json array = datasets::Json::array();
  for (const auto& row : rows) array.push_back(ParseStoredDocument(row.json, table + " " + row.id));
  return array;
}

std::string JoinErrors(const std::vector<std::string>& errors) {
  std::string out;
  for (const std::string& error : errors) out += "\n  " + error;
  return out;
}

}  // namespace

datasets::Json ParseStoredDocument(const std::string& text, const std::string& where) {
  try {
    return datasets::Json::parse(text);
  } catch (const datasets::Json::parse_error& e) {
    throw std::runtime_error("corrupt document in the database (" + where + "): " + e.what());
  }
}

Snapshot::Snapshot(matcher::Dataset dataset, const PartnerRecords& partner_records)
    : partners(dataset, partner_records.aliases, partner_records.merges),
      themes(dataset),
      catalogue([&] {
        for (const auto& theme : dataset.themes) theme_ids.insert(theme.id);
        for (const auto& c : dataset.collectivites) collectivite_ids.insert(c.id);
        for (matcher::Cooperation& link : dataset.cooperations) {
          if (const understanding::PartnerEntity* entity =
                  partners.Canonical(link.country, link.partner)) {
            link.partner.id = entity->id;
            link.partner.name = entity->name;
          }
        }
        return matcher::Catalogue(std::move(dataset), datasets::CountryTable());
      }()),
      need_digest_once_(std::make_unique<std::once_flag[]>(catalogue.needs().size())),
      need_digests_(catalogue.needs().size()) {}

const std::string& Snapshot::CatalogueNeedDigest(size_t index) const {
  std::call_once(need_digest_once_[index], [&] {
    matcher::Need logged = catalogue.needs()[index];
    logged.partner_recognised_from.clear();
    need_digests_[index] = NeedDigest(logged);
  });
  return need_digests_[index];
}

PartnerRecords ReadPartnerRecords(store::Store& store) {
  PartnerRecords records;
  for (store::PartnerAliasRow& row : store.PartnerAliases())
    records.aliases.push_back({std::move(row.partner), std::move(row.alias)});
  for (store::PartnerMergeRow& row : store.PartnerMerges())
    records.merges.push_back({std::move(row.from), std::move(row.into)});
  return records;
}

datasets::LoadResult LoadFromStore(store::Store& store) {
  datasets::DatasetDocuments documents;
  documents["themes.json"] = ToArray(store.Themes(), "themes");
  documents["collectivites.json"] = ToArray(store.Collectivites(), "collectivites");
  documents["cooperations.json"] = ToArray(store.Cooperations(), "cooperations");
  documents["missions.json"] = ToArray(store.Missions(), "missions");
  documents["needs.json"] = ToArray(store.Needs(), "needs");
  datasets::LoadResult result = datasets::DecodeDataset(documents);
  // The authorities that declined a need's proposals are excluded from its next rankings.
  std::unordered_map<std::string, matcher::Need*> by_id;
  for (matcher::Need& need : result.dataset.needs) by_id[need.id] = &need;
  for (auto& [need, collectivite] : store.Declines()) {
    if (auto it = by_id.find(need); it != by_id.end())
      it->second->declined.push_back(std::move(collectivite));
  }
  return result;
}

std::shared_ptr<const Snapshot> OpenSnapshot(store::Store& store,
                                             const std::filesystem::path& data_dir) {
  if (!store.IsSeeded()) {
    datasets::LoadResult seed = datasets::LoadDatasetDir(data_dir);
    if (!seed.ok()) {
      throw std::runtime_error("the data set " + data_dir.string() +
                               " is invalid, nothing was stored:" + JoinErrors(seed.errors));
    }
    store.Seed(store_rows::SeedDocumentsFor(
        seed.dataset, std::filesystem::absolute(data_dir).lexically_normal().string()));
  }
  EnsureBuiltinProfiles(store);
  datasets::LoadResult loaded = LoadFromStore(store);
  if (!loaded.ok())
    throw std::runtime_error("the database holds an invalid data set:" + JoinErrors(loaded.errors));
  return std::make_shared<const Snapshot>(std::move(loaded.dataset), ReadPartnerRecords(store));
}

}  // namespace expectmatch::service
