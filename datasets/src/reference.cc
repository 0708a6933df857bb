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

const std::vector<M49Group> kM49Groups = {
#include "m49_table.inc"
};

const std::vector<std::string_view> kRegions = {
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "La Réunion",
    "Mayotte",
};

template <typename T>
const T* FindSorted(const std::vector<T>& table, std::string_view alpha2) {
  // The generated tables are sorted by alpha-2 code.
  auto it =
      std::lower_bound(table.begin(), table.end(), alpha2,
                       [](const T& entry, std::string_view code) { return entry.alpha2 < code; });
  return it != table.end() && it->alpha2 == alpha2 ? &*it : nullptr;
}

}  // namespace

const Country* FindCountry(std::string_view alpha2) { return FindSorted(kCountries, alpha2); }
const std::vector<Country>& AllCountries() { return kCountries; }

const M49Group* FindM49Group(std::string_view alpha2) { return FindSorted(kM49Groups, alpha2); }

matcher::CountryTable CountryTable() {
  matcher::CountryTable table;
  for (const Country& country : kCountries) {
    matcher::CountryInfo info;
    info.name_fr = country.name_fr;
    if (const M49Group* group = FindM49Group(country.alpha2)) {
      info.subregion = group->code;
      info.subregion_name_fr = group->name_fr;
    }
    table.emplace(country.alpha2, std::move(info));
  }
  return table;
}

const Language* FindLanguage(std::string_view alpha2) { return FindSorted(kLanguages, alpha2); }

const std::vector<std::string_view>& FrenchRegions() { return kRegions; }
bool IsFrenchRegion(std::string_view name) {
  return std::find(kRegions.begin(), kRegions.end(), name) != kRegions.end();
}

}  // namespace expectmatch::datasets
