// A snapshot of everything the engine ranks against: the taxonomy, the labelled authorities,
// their cooperations, past missions and commitments, indexed for ranking.
//
// Besides the entities it keeps columnar indexes: label postings per theme (which authorities
// hold a label on it, and when), per-authority columns (capacity, id rank, language masks,
// capacity used per year), missions with interned themes, and the cooperation graph.
// A Catalogue is immutable once built, so one snapshot serves any number of concurrent
// rankings without a lock; new data means building a new snapshot and swapping it in.
#pragma once

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expectmatch/matcher/cooperation_graph.h"
#include "expectmatch/matcher/model.h"
#include "expectmatch/matcher/taxonomy.h"

namespace expectmatch::matcher {

using AuthorityIndex = uint32_t;

// What the engine knows of a country beyond its code (from ISO 3166-1 and UN M49).
struct CountryInfo {
  std::string name_fr;
  int subregion = 0;  // UN M49 code of its geographic (sub-/intermediate) region; 0 when none
  std::string subregion_name_fr;
};
using CountryTable = std::unordered_map<std::string, CountryInfo>;

// The working languages of an authority or a need, one bit per language known to the
// catalogue (up to 256).
using LanguageMask = std::array<uint64_t, 4>;

// Compact, per-authority copies of what features read, stored contiguously (CSR) so that a
// ranking touches a few cache lines per candidate. Dates are days since 1970-01-01.
inline constexpr int kOpenEnded = std::numeric_limits<int>::max();
inline constexpr int kNever = std::numeric_limits<int>::min();

struct LabelCell {
  ThemeIndex theme = kNoTheme;
  int since = 0;
  int until = kOpenEnded;
};
struct LinkCell {
  int country = -1;      // interned country
  uint32_t partner = 0;  // the partner's vertex in the cooperation graph
  int since = 0;
  int until = kOpenEnded;
};
struct MissionCell {
  int end = 0;
  int report_due = 0;                         // end + 2 months
  int delivered = kNever;                     // report delivery, kNever when missing
  int rating = 0;                             // 1..5, 0 when unrated
  int country = -1;                           // interned country
  uint32_t themes_begin = 0, themes_end = 0;  // into MissionThemeCells()
};

struct LabelPosting {
  AuthorityIndex authority = 0;
  int since = 0;
  int until = 0;  // inclusive; INT32_MAX when open-ended
};

class Catalogue {
 public:
  // REQUIRES: `dataset` passed the datasets validator.
  Catalogue(Dataset dataset, CountryTable countries);

  const Taxonomy& taxonomy() const { return taxonomy_; }
  const std::vector<Collectivite>& collectivites() const { return dataset_.collectivites; }
  const std::vector<Cooperation>& cooperations() const { return dataset_.cooperations; }
  const std::vector<Mission>& missions() const { return dataset_.missions; }
  const std::vector<Need>& needs() const { return dataset_.needs; }
  size_t size() const { return dataset_.collectivites.size(); }

  // Index of a collectivité or need by id; -1 when unknown.
  int FindCollectivite(std::string_view id) const;
  int FindNeed(std::string_view id) const;

  // Columnar per-authority views, in the same order as the entity vectors.
  std::span<const LabelCell> LabelCells(AuthorityIndex c) const {
    return {label_cells_.data() + label_offsets_[c], label_cells_.data() + label_offsets_[c + 1]};
  }
  std::span<const LinkCell> LinkCells(AuthorityIndex c) const {
    return {link_cells_.data() + link_offsets_[c], link_cells_.data() + link_offsets_[c + 1]};
  }
  std::span<const MissionCell> MissionCells(AuthorityIndex c) const {
    return {mission_cells_.data() + mission_offsets_[c],
            mission_cells_.data() + mission_offsets_[c + 1]};
  }
  std::span<const ThemeIndex> MissionThemeCells(const MissionCell& m) const {
    return {mission_theme_cells_.data() + m.themes_begin,
            mission_theme_cells_.data() + m.themes_end};
  }

  // Per authority: its cooperations and missions (indices into cooperations()/missions()).
  const std::vector<uint32_t>& CooperationsOf(AuthorityIndex c) const {
    return cooperations_of_[c];
  }
  const std::vector<uint32_t>& MissionsOf(AuthorityIndex c) const { return missions_of_[c]; }
  // Missions recorded for a need id (indices), e.g. to leave a need's own use out of capacity.
  const std::vector<uint32_t>& MissionsOfNeed(const std::string& need) const;
  // The date a mission's report is due: its end plus `months` calendar months (precomputed for
  // the default 2 months).
  Date ReportDue(uint32_t mission, int months) const {
    return months == kDefaultReportDueMonths ? report_due_[mission]
                                             : dataset_.missions[mission].end.AddMonths(months);
  }
  static constexpr int kDefaultReportDueMonths = 2;
  // Themes of a mission, interned.
  const std::vector<ThemeIndex>& MissionThemes(uint32_t mission) const {
    return mission_themes_[mission];
  }
  // Interned themes of an authority's labels, parallel to collectivites()[c].labels.
  const std::vector<ThemeIndex>& LabelThemes(AuthorityIndex c) const { return label_themes_[c]; }
  // Authorities holding a label on `theme` (exactly), with its validity.
  const std::vector<LabelPosting>& LabelsOnTheme(ThemeIndex theme) const {
    return label_postings_[static_cast<size_t>(theme)];
  }

  // Rank of the authority's id in ascending id order: ties in score break on it.
  uint32_t IdRank(AuthorityIndex c) const { return id_rank_[c]; }
  int Capacity(AuthorityIndex c) const { return capacity_[c]; }
  // Missions starting in `year` plus needs committed to the authority for that year without a
  // mission record yet.
  int CapacityUsed(AuthorityIndex c, int year) const;
  // Needs committed to an authority (assigned or in mission, no mission record yet).
  struct Commitment {
    std::string need;
    AuthorityIndex authority = 0;
    int year = 0;
  };
  const std::vector<Commitment>& commitments() const { return commitments_; }

  const LanguageMask& Languages(AuthorityIndex c) const { return languages_[c]; }
  // The mask of `codes`; codes unknown to the catalogue (spoken by nobody) are left out.
  LanguageMask MaskOf(const std::vector<std::string>& codes) const;

  // Mean rating part (rating − 1) / 4 over every rated mission; 1/2 when none is rated.
  double MeanRatingQuality() const { return mean_rating_quality_; }

  const CooperationGraph& graph() const { return graph_; }

  // Countries named by cooperations or missions, interned: a cooperation's country and a
  // country's M49 region by index. CountryIndexOf is -1 for a country nothing names.
  int CountryIndexOf(const std::string& code) const;
  int LinkCountry(uint32_t cooperation) const { return link_country_[cooperation]; }
  int SubregionOfIndex(int country) const {
    return country_subregion_[static_cast<size_t>(country)];
  }

  // French name of a country, or the code itself when unknown; its M49 region (0 when none).
  const std::string& CountryName(const std::string& code) const;
  const CountryInfo* Country(const std::string& code) const;

 private:
  Dataset dataset_;
  Taxonomy taxonomy_;
  CountryTable countries_;
  std::unordered_map<std::string, AuthorityIndex> collectivite_index_;
  std::unordered_map<std::string, uint32_t> need_index_;
  std::unordered_map<std::string, int> language_bit_;

  std::vector<std::vector<uint32_t>> cooperations_of_;
  std::vector<std::vector<uint32_t>> missions_of_;
  std::vector<std::vector<ThemeIndex>> mission_themes_;
  std::vector<Date> report_due_;
  std::unordered_map<std::string, std::vector<uint32_t>> missions_of_need_;
  std::vector<std::vector<ThemeIndex>> label_themes_;
  std::vector<std::vector<LabelPosting>> label_postings_;
  std::vector<Commitment> commitments_;
  // Capacity used per authority and year, as a CSR: years_[offsets_[c] .. offsets_[c + 1]).
  std::vector<uint32_t> usage_offsets_;
  std::vector<std::pair<int, int>> usage_;  // (year, count), sorted by year per authority

  int InternCountry(const std::string& code);

  std::vector<uint32_t> label_offsets_, link_offsets_, mission_offsets_;
  std::vector<LabelCell> label_cells_;
  std::vector<LinkCell> link_cells_;
  std::vector<MissionCell> mission_cells_;
  std::vector<ThemeIndex> mission_theme_cells_;
  std::unordered_map<std::string, int> country_index_;
  std::vector<int> link_country_;
  std::vector<int> country_subregion_;

  Eigen::Array<uint32_t, Eigen::Dynamic, 1> id_rank_;
  Eigen::ArrayXi capacity_;
  std::vector<LanguageMask> languages_;
  double mean_rating_quality_ = 0.5;
  CooperationGraph graph_;
};

}  // namespace expectmatch::matcher
