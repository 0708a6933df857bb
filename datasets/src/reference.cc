#include "expectmatch/datasets/reference.h"

#include <algorithm>

namespace expectmatch::datasets {
namespace {

const std::vector<Country> kCountries = {
#include "iso3166_table.inc"
};

const std::vector<Language> kLanguages = {
#include "iso639_table.inc"
};

const std::vector<std::string_view> kRegions = {
    "Auvergne-Rhône-Alpes", "Bourgogne-Franche-Comté", "Bretagne",         "Centre-Val de Loire",
    "Corse",                "Grand Est",               "Hauts-de-France",  "Île-de-France",
    "Normandie",            "Nouvelle-Aquitaine",      "Occitanie",        "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur", "Guadeloupe",        "Martinique",       "Guyane",
    "La Réunion",           "Mayotte",
};

template <typename T>
const T* FindSorted(const std::vector<T>& table, std::string_view alpha2) {
  // The generated tables are sorted by alpha-2 code.
  auto it = std::lower_bound(table.begin(), table.end(), alpha2,
                             [](const T& entry, std::string_view code) { return entry.alpha2 < code; });
  return it != table.end() && it->alpha2 == alpha2 ? &*it : nullptr;
}

}  // namespace

const Country* FindCountry(std::string_view alpha2) { return FindSorted(kCountries, alpha2); }
const std::vector<Country>& AllCountries() { return kCountries; }

std::unordered_map<std::string, std::string> FrenchCountryNames() {
  std::unordered_map<std::string, std::string> names;
  for (const Country& country : kCountries) names.emplace(country.alpha2, country.name_fr);
  return names;
}

const Language* FindLanguage(std::string_view alpha2) { return FindSorted(kLanguages, alpha2); }

const std::vector<std::string_view>& FrenchRegions() { return kRegions; }
bool IsFrenchRegion(std::string_view name) {
  return std::find(kRegions.begin(), kRegions.end(), name) != kRegions.end();
}

}  // namespace expectmatch::datasets
