// A catalogue snapshot as the service serves it, and how it is built from the store.
//
// A Snapshot is immutable and shared (std::shared_ptr<const Snapshot>): requests keep the one
// they started with while a newer one may be swapped in.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/profile.h"
#include "expectmatch/store/store.h"
#include "expectmatch/understanding/partners.h"
#include "expectmatch/understanding/themes.h"

namespace expectmatch::service {

// What DAECT recorded about foreign partners beyond the data set: aliases and merges, in
// recording order.
struct PartnerRecords {
  std::vector<understanding::PartnerAlias> aliases;
  std::vector<understanding::PartnerMerge> merges;
};

struct Snapshot {
  // The cooperations' partners are rewritten to the directory's canonical entities (so that a
  // merged record and its target are one vertex of the cooperation network) before the
  // catalogue is built.
  explicit Snapshot(matcher::Dataset dataset, const PartnerRecords& partner_records = {});
  Snapshot(const Snapshot&) = delete;  // the resolver refers to the directory
  Snapshot& operator=(const Snapshot&) = delete;

  // Declared before `catalogue`, which the constructor builds after filling them.
  std::unordered_set<std::string> theme_ids;
  std::unordered_set<std::string> collectivite_ids;
  understanding::PartnerDirectory partners;
  understanding::PartnerResolver partner_resolver{partners};
  understanding::ThemeSuggester themes;
  matcher::Catalogue catalogue;

  // References for validating an inline need against this snapshot.
  datasets::References references() const { return {&theme_ids, &collectivite_ids}; }
};

// A document read back from the store. Throws std::runtime_error naming `where` when it is not
// JSON (the database was edited by hand).
datasets::Json ParseStoredDocument(const std::string& text, const std::string& where);

// The partner aliases and merges the store holds.
PartnerRecords ReadPartnerRecords(store::Store& store);

// Reads every record back from the store and validates it as a data set.
datasets::LoadResult LoadFromStore(store::Store& store);

// Seeds an empty store from `data_dir` (validated first; nothing is written when invalid) and
// loads the snapshot; stores the built-in profiles if none. Throws std::runtime_error with every validation error on failure.
std::shared_ptr<const Snapshot> OpenSnapshot(store::Store& store,
                                             const std::filesystem::path& data_dir);

}  // namespace expectmatch::service
