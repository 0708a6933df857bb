// A catalogue snapshot as the service serves it, and how it is built from the store.
//
// A Snapshot is immutable and shared (std::shared_ptr<const Snapshot>): requests keep the one
// they started with while a newer one may be swapped in.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
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

  // NeedDigest (ranking_log.h) of the catalogue's need `index` as a match logs it (its partner
  // as written, nothing recognised), computed on first use and kept: a snapshot's needs never
  // change, and encoding a need to hash it cost a match request about a tenth of its CPU.
  // Thread-safe. REQUIRES: index < catalogue.needs().size().
  const std::string& CatalogueNeedDigest(size_t index) const;

 private:
  // One slot per catalogue need, filled once.
  std::unique_ptr<std::once_flag[]> need_digest_once_;
  mutable std::vector<std::string> need_digests_;
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
