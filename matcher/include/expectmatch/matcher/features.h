// The ranking features (formulas in ARCHITECTURE.md, "Features").
//
// Each feature is a pure function of (catalogue, prepared need, candidate) with a value in
// [0, 1]. PrepareNeed resolves what every candidate shares (interned themes, language mask,
// the partner's neighbourhood in the cooperation graph) once per ranking. An optional detail
// struct receives what the French explanation needs; Explain turns it into a sentence.
// Thread-safe: features only read the catalogue.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::matcher {

enum class Feature : size_t {
  kThematic = 0,
  kCountryPresence,
  kPartnerHistory,
  kTrackRecord,
  kLanguage,
  kAvailability,
};
inline constexpr size_t kFeatureCount = 6;
using FeatureVector = std::array<double, kFeatureCount>;

// snake_case name used in the API, profiles and logs, e.g. "country_presence".
std::string_view FeatureName(Feature feature);
// Feature by snake_case name; false when unknown.
bool FeatureFromName(std::string_view name, Feature* feature);

// Tuning constants of the features, with the values ARCHITECTURE.md documents.
struct FeatureParams {
  // country_presence: weight of a link in another country of the same UN M49 region.
  double region_link_share = 0.25;
  // track_record: age (days) at which a mission's weight halves.
  double track_record_half_life_days = 1096.0;  // 3 years
  // track_record: pseudo-missions rated at the catalogue's mean (rating smoothing).
  double rating_prior_missions = 2.0;
  // track_record: pseudo-missions of no experience (experience = Σω / (Σω + this)).
  double experience_prior_missions = 1.0;
  // Months after a mission's end within which its report counts as on time.
  int report_due_months = 2;
};

// What every candidate of one need shares, resolved once.
struct NeedContext {
  const Need* need = nullptr;
  std::vector<ThemeIndex> themes;  // interned need themes
  std::vector<double> weights;     // their weights, normalised to sum 1
  // ThemeSimilarity(Relate(themes[t], u)) for every theme u: similarity[t * taxonomy size + u].
  std::vector<double> similarity;
  size_t theme_count = 0;
  LanguageMask languages{};   // the need's working languages known to the catalogue
  size_t language_count = 0;  // all of the need's working languages
  int country = -1;           // interned country, -1 when no cooperation names it
  int subregion = 0;          // M49 group of the need's country
  int year = 0;               // the period's start year (capacity)
  Date start, end;
  int partner_vertex = -1;                                 // the partner in the cooperation graph
  CooperationGraph::Neighbourhood partner_neighbourhood;   // its direct authorities, second ring
  std::vector<std::pair<AuthorityIndex, int>> self_usage;  // capacity the need itself holds
  std::vector<AuthorityIndex> excluded;                    // conflicts, ascending
  std::vector<AuthorityIndex> declined;  // declined a proposal (conflicts left out), ascending
};

// REQUIRES: the need is valid against the catalogue.
NeedContext PrepareNeed(const Catalogue& catalogue, const Need& need);

struct ThematicDetail {
  std::vector<int> best_label;          // per need theme: index in the candidate's labels, −1
  std::vector<ThemeRelation> relation;  // per need theme
};
struct CountryDetail {
  int links = 0;         // active links in the need's country
  int region_links = 0;  // active links in other countries of the same M49 region
  int earliest_year = 0;
};
struct TrackDetail {
  int relevant = 0;
  int rated = 0;
  double raw_rating = 0.0;        // mean of the relevant missions' ratings (1–5), unweighted
  double smoothed_quality = 0.0;  // R
  int due = 0, on_time = 0;
  double experience = 0.0;   // E
  double punctuality = 1.0;  // P
};

double Thematic(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                ThematicDetail* detail = nullptr);
double CountryPresence(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                       const FeatureParams& params, CountryDetail* detail = nullptr);
// The candidate's proximity to the need's partner in the cooperation graph: direct, partner of
// a partner (from NeedContext::partner_neighbourhood), else same country.
double PartnerHistory(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                      ProximityHit* hit = nullptr);
double TrackRecord(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                   const FeatureParams& params, TrackDetail* detail = nullptr);
double Language(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c);
double Availability(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                    int* remaining = nullptr);

// Capacity the candidate has left in the need's start year (the need's own use excluded).
int RemainingCapacity(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c);

// All six features in Feature order.
FeatureVector ComputeFeatures(const Catalogue& catalogue, const NeedContext& need, AuthorityIndex c,
                              const FeatureParams& params);

// A short French sentence explaining the feature's value for the candidate.
std::string Explain(Feature feature, const Catalogue& catalogue, const NeedContext& need,
                    AuthorityIndex c, const FeatureParams& params);

// French decimal notation with `digits` decimals ("4,5").
std::string FormatFrench(double value, int digits);

}  // namespace expectmatch::matcher
