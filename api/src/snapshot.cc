#include "expectmatch/api/snapshot.h"

#include <stdexcept>

#include "expectmatch/api/match_json.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/store_rows/store_rows.h"

namespace expectmatch::api {
namespace {

datasets::Json ParseStored(const std::string& text, const std::string& where) {
  try {
    return datasets::Json::parse(text);
  } catch (const datasets::Json::parse_error& e) {
    throw std::runtime_error("corrupt document in the database (" + where + "): " + e.what());
  }
}

template <typename Rows>
datasets::Json ToArray(const Rows& rows, const std::string& table) {
  datasets::Json array = datasets::Json::array();
  for (const auto& row : rows) array.push_back(ParseStored(row.json, table + " " + row.id));
  return array;
}

std::string JoinErrors(const std::vector<std::string>& errors) {
  std::string out;
  for (const std::string& error : errors) out += "\n  " + error;
  return out;
}

}  // namespace

Snapshot::Snapshot(matcher::Dataset dataset)
    : catalogue([&] {
        for (const auto& theme : dataset.themes) theme_ids.insert(theme.id);
        for (const auto& c : dataset.collectivites) collectivite_ids.insert(c.id);
        return matcher::Catalogue(std::move(dataset), datasets::CountryTable());
      }()) {}

datasets::LoadResult LoadFromStore(store::Store& store) {
  datasets::DatasetDocuments documents;
  documents["themes.json"] = ToArray(store.Themes(), "themes");
  documents["collectivites.json"] = ToArray(store.Collectivites(), "collectivites");
  documents["cooperations.json"] = ToArray(store.Cooperations(), "cooperations");
  documents["missions.json"] = ToArray(store.Missions(), "missions");
  documents["needs.json"] = ToArray(store.Needs(), "needs");
  return datasets::DecodeDataset(documents);
}

matcher::Profile ProfileFromRow(const store::ProfileRow& row) {
  datasets::FieldErrors errors;
  auto weights = DecodeWeights(ParseStored(row.weights, "profile " + row.name), datasets::FieldPath("weights"),
                               /*complete=*/true, &errors);
  if (!weights) throw std::runtime_error("invalid stored profile " + row.name + ": " + errors.front().ToString());
  matcher::Profile profile;
  profile.name = row.name;
  profile.version = row.version;
  profile.description = row.description;
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) profile.weights[f] = *(*weights)[f];
  return profile;
}

std::optional<matcher::Profile> FindProfile(store::Store* store, const std::string& name) {
  if (store) {
    if (std::optional<store::ProfileRow> row = store->GetProfile(name)) return ProfileFromRow(*row);
  }
  for (const matcher::Profile& builtin : matcher::BuiltinProfiles()) {
    if (builtin.name == name) return builtin;
  }
  return std::nullopt;
}

void EnsureBuiltinProfiles(store::Store& store) {
  if (!store.LatestProfiles().empty()) return;
  for (const matcher::Profile& profile : matcher::BuiltinProfiles()) {
    store.SaveProfile(profile.name, profile.description, EncodeWeights(profile.weights).dump());
  }
}

std::shared_ptr<const Snapshot> OpenSnapshot(store::Store& store, const std::filesystem::path& data_dir) {
  if (!store.IsSeeded()) {
    datasets::LoadResult seed = datasets::LoadDatasetDir(data_dir);
    if (!seed.ok()) {
      throw std::runtime_error("the data set " + data_dir.string() + " is invalid, nothing was stored:" +
                               JoinErrors(seed.errors));
    }
    store.Seed(store_rows::SeedDocumentsFor(seed.dataset, std::filesystem::absolute(data_dir).lexically_normal().string()));
  }
  EnsureBuiltinProfiles(store);
  datasets::LoadResult loaded = LoadFromStore(store);
  if (!loaded.ok()) throw std::runtime_error("the database holds an invalid data set:" + JoinErrors(loaded.errors));
  return std::make_shared<const Snapshot>(std::move(loaded.dataset));
}

}  // namespace expectmatch::api
