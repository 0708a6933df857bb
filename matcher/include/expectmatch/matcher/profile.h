// Named, versioned weight sets (DESIGN.md §2.3): score = Σ weight_i · feature_i.
#pragma once

#include <string>

#include "expectmatch/matcher/features.h"

namespace expectmatch::matcher {

struct Profile {
  std::string name;
  int version = 1;
  FeatureVector weights{};  // non-negative, indexed by Feature
};

// The default profile: thematic 0.35, country_presence 0.20, track_record 0.20, language 0.10,
// availability 0.15. Weights sum to 1, so scores stay within [0, 1].
Profile DefaultProfile();

}  // namespace expectmatch::matcher
