// A catalogue snapshot as the service serves it, and how it is built from the store.
//
// A Snapshot is immutable and shared (std::shared_ptr<const Snapshot>): requests keep the one
// they started with while a newer one may be swapped in.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_set>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/profile.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

struct Snapshot {
  explicit Snapshot(matcher::Dataset dataset);

  // Declared before `catalogue`, which the constructor builds after filling them.
  std::unordered_set<std::string> theme_ids;
  std::unordered_set<std::string> collectivite_ids;
  matcher::Catalogue catalogue;

  // References for validating an inline need against this snapshot.
  datasets::References references() const { return {&theme_ids, &collectivite_ids}; }
};

// A document read back from the store. Throws std::runtime_error naming `where` when it is not
// JSON (the database was edited by hand).
datasets::Json ParseStoredDocument(const std::string& text, const std::string& where);

// Reads every record back from the store and validates it as a data set.
datasets::LoadResult LoadFromStore(store::Store& store);

// Seeds an empty store from `data_dir` (validated first; nothing is written when invalid) and
// loads the snapshot; stores the built-in profiles if none. Throws std::runtime_error with every validation error on failure.
std::shared_ptr<const Snapshot> OpenSnapshot(store::Store& store,
                                             const std::filesystem::path& data_dir);

}  // namespace expectmatch::service
