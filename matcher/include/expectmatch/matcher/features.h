// The ranking features (DESIGN.md §2, formulas in ARCHITECTURE.md "Features").
//
// Each feature is a pure function of (catalogue, need, candidate) with a value in [0, 1]. When
// `reason` is not null it also writes a short French sentence for DAECT staff; passing null
// skips that work on the fast path. Thread-safe: they only read the catalogue.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::matcher {

enum class Feature : size_t {
  kThematic = 0,
  kCountryPresence,
  kTrackRecord,
  kLanguage,
  kAvailability,
};
inline constexpr size_t kFeatureCount = 5;
using FeatureVector = std::array<double, kFeatureCount>;

// snake_case name used in the API, profiles and logs, e.g. "country_presence".
std::string_view FeatureName(Feature feature);
// Feature by snake_case name; false when unknown.
bool FeatureFromName(std::string_view name, Feature* feature);

// Tuning constants of the features, with the values ARCHITECTURE.md documents.
struct FeatureParams {
  // track_record: age (days) at which a mission's weight halves.
  double track_record_half_life_days = 1096.0;  // 3 years
  // track_record: pseudo-missions of quality 0 added to the denominator (smoothing).
  double track_record_prior_missions = 1.0;
  // track_record: quality credited to a mission without rating (the middle of 1..5).
  double unrated_quality = 0.5;
  // Months after a mission's end within which its report counts as on time.
  int report_due_months = 2;
};

// Fit between the need's weighted themes and c's labels valid over the whole period.
double Thematic(const Catalogue& catalogue, const Need& need, const Collectivite& c, std::string* reason);
// Saturating in the number of c's cooperation links active in the need's country at its start.
double CountryPresence(const Catalogue& catalogue, const Need& need, size_t c, std::string* reason);
// Past missions relevant by theme and country, their quality, recency-weighted and smoothed.
double TrackRecord(const Catalogue& catalogue, const Need& need, size_t c, const FeatureParams& params,
                   std::string* reason);
// Share of the need's working languages that c's experts speak (1 when the need names none).
double Language(const Need& need, const Collectivite& c, std::string* reason);
// Missions c can still accept in the year the need starts, as a share of its yearly capacity.
double Availability(const Catalogue& catalogue, const Need& need, size_t c, std::string* reason);
// Missions and commitments of c in the year the need starts (the need itself excluded).
int CapacityUsed(const Catalogue& catalogue, const Need& need, size_t c);

// French decimal notation with `digits` decimals ("4,5").
std::string FormatFrench(double value, int digits);

}  // namespace expectmatch::matcher
