// A snapshot of everything the engine ranks against: the taxonomy, the labelled authorities,
// their cooperations, past missions and commitments, indexed for fast feature computation.
//
// A Catalogue is immutable once built, so one snapshot can serve any number of concurrent
// rankings; a change of data means building a new snapshot and swapping it in.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "expectmatch/matcher/model.h"
#include "expectmatch/matcher/taxonomy.h"

namespace expectmatch::matcher {

// A need's commitment of an authority: a need whose `selected` authority has not yet produced
// a mission record (assigned or in mission). It uses one unit of capacity in its start year.
struct Commitment {
  std::string need;
  int year = 0;
};

class Catalogue {
 public:
  // REQUIRES: `dataset` passed the datasets validator. `country_names` maps ISO 3166-1 alpha-2
  // codes to French names, for reasons shown to DAECT staff.
  Catalogue(Dataset dataset, std::unordered_map<std::string, std::string> country_names);

  const Taxonomy& taxonomy() const { return taxonomy_; }
  const std::vector<Collectivite>& collectivites() const { return dataset_.collectivites; }
  const std::vector<Cooperation>& cooperations() const { return dataset_.cooperations; }
  const std::vector<Mission>& missions() const { return dataset_.missions; }
  const std::vector<Need>& needs() const { return dataset_.needs; }

  // Index of a collectivité or need by id; -1 when unknown.
  int FindCollectivite(std::string_view id) const;
  int FindNeed(std::string_view id) const;

  // Per collectivité (by index): its cooperations and missions (indices), and commitments.
  const std::vector<size_t>& CooperationsOf(size_t collectivite) const { return cooperations_of_[collectivite]; }
  const std::vector<size_t>& MissionsOf(size_t collectivite) const { return missions_of_[collectivite]; }
  const std::vector<Commitment>& CommitmentsOf(size_t collectivite) const { return commitments_of_[collectivite]; }

  // French name of a country, or the code itself when unknown.
  const std::string& CountryName(const std::string& code) const;

 private:
  Dataset dataset_;
  Taxonomy taxonomy_;
  std::unordered_map<std::string, std::string> country_names_;
  std::unordered_map<std::string, size_t> collectivite_index_;
  std::unordered_map<std::string, size_t> need_index_;
  std::vector<std::vector<size_t>> cooperations_of_;
  std::vector<std::vector<size_t>> missions_of_;
  std::vector<std::vector<Commitment>> commitments_of_;
};

}  // namespace expectmatch::matcher
