// Named, versioned weight sets (ARCHITECTURE.md, "Score, profiles and explanation"):
// score = Σ weight_i · feature_i.
#pragma once

#include <string>
#include <vector>

#include "expectmatch/matcher/features.h"

namespace expectmatch::matcher {

// Bounds on a single weight, for profiles and per-request overrides.
inline constexpr double kMinWeight = 0.0;
inline constexpr double kMaxWeight = 10.0;

struct Profile {
  std::string name;
  int version = 1;
  std::string description;  // French, for DAECT staff
  FeatureVector weights{};  // in [kMinWeight, kMaxWeight], indexed by Feature, not all zero
};

// `default`: thematic 0.30, country_presence 0.15, partner_history 0.10, track_record 0.20,
// language 0.10, availability 0.15 (sum 1, so scores stay within [0, 1]).
Profile DefaultProfile();
// `ouverture`: for needs in countries where French authorities are rarely present. Presence
// and partner history weigh nothing, so authorities new to the country compete on expertise,
// track record, language and availability alone: thematic 0.40, track_record 0.30,
// language 0.15, availability 0.15.
Profile OpeningProfile();
// The profiles a new store is seeded with.
std::vector<Profile> BuiltinProfiles();

}  // namespace expectmatch::matcher
