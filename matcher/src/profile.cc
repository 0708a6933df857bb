#include "expectmatch/matcher/profile.h"

namespace expectmatch::matcher {
namespace {

Profile Make(std::string name, std::string description, FeatureVector weights) {
  Profile profile;
  profile.name = std::move(name);
  profile.version = 1;
  profile.description = std::move(description);
  profile.weights = weights;
  return profile;
}

}  // namespace

Profile DefaultProfile() {
  // Order: thematic, country_presence, partner_history, track_record, language, availability.
  return Make("default",
              "Profil par défaut : expertise, présence dans le pays et références équilibrées",
              {0.30, 0.15, 0.10, 0.20, 0.10, 0.15});
}

Profile OpeningProfile() {
  return Make("ouverture",
              "Ouverture à de nouveaux pays : la présence dans le pays et l'historique de "
              "partenariat ne comptent pas",
              {0.40, 0.0, 0.0, 0.30, 0.15, 0.15});
}

std::vector<Profile> BuiltinProfiles() { return {DefaultProfile(), OpeningProfile()}; }

}  // namespace expectmatch::matcher
