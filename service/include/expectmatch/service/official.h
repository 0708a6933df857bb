// The official list of French local authorities (Etalab): its import into the store, the
// lookups the API answers, and the check of a collectivité's SIREN against it. Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/official_list.h"
#include "expectmatch/matcher/model.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/status.h"
#include "expectmatch/store/store.h"

namespace expectmatch::service {

// What an import did, for the command line's French summary.
struct OfficialImport {
  datasets::OfficialList list;  // as read (errors: nothing was written)
  bool written = false;
};

// Reads the package's data folder `dir` and, when it reads without error, replaces the stored
// list with it in one transaction (provenance: `dir` and the package's version, at `now`).
OfficialImport ImportOfficialList(store::Store& store, const std::filesystem::path& dir,
                                  const std::string& now);

// The French summary of an import: counts per kind, refused SIRENs, what was left out.
std::string DescribeOfficialImport(const OfficialImport& import, const std::string& db);

// The stored row of an authority of the list (words: its name folded, see store::OfficialRow).
store::OfficialRow OfficialRowFor(const datasets::OfficialAuthority& authority);
// {"siren", "insee", "kind", "name", "region", "departement", "population"}; empty codes and an
// unknown population are null.
datasets::Json EncodeOfficial(const store::OfficialRow& row);

// Free text as the search reads it: its folded words, each a prefix to match.
std::vector<std::string> OfficialSearchWords(std::string_view text);

class OfficialAuthorities {
 public:
  // `store` must outlive this object.
  explicit OfficialAuthorities(store::Store& store) : store_(store) {}

  // GET /v1/official-authorities?q=&kind=&limit=: {"items", "total"}. `q` (required) holds at
  // least 2 characters; `kind` commune | epci | departement | region; `limit` 1–50 (10).
  Status Search(const QueryParameters& query, datasets::Json* page) const;
  // GET /v1/official-authorities/{siren}.
  Status Get(const std::string& siren, datasets::Json* authority) const;
  // When a list is loaded and `c` is not an association, its SIREN (when it has one) must be
  // in the list with the same kind; an error naming /siren otherwise.
  void CheckSiren(const matcher::Collectivite& c, datasets::FieldErrors* errors) const;

 private:
  store::Store& store_;
};

}  // namespace expectmatch::service
