#include "expectmatch/matcher/profile.h"

namespace expectmatch::matcher {

Profile DefaultProfile() {
  Profile profile;
  profile.name = "default";
  profile.version = 1;
  profile.weights[static_cast<size_t>(Feature::kThematic)] = 0.35;
  profile.weights[static_cast<size_t>(Feature::kCountryPresence)] = 0.20;
  profile.weights[static_cast<size_t>(Feature::kTrackRecord)] = 0.20;
  profile.weights[static_cast<size_t>(Feature::kLanguage)] = 0.10;
  profile.weights[static_cast<size_t>(Feature::kAvailability)] = 0.15;
  return profile;
}

}  // namespace expectmatch::matcher
