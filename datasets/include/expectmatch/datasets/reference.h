// Reference code lists: ISO 3166-1 countries and ISO 639-1 languages (from Debian's iso-codes,
// see scripts/gen_iso_tables.py) and the 18 French régions.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expectmatch/matcher/catalogue.h"

namespace expectmatch::datasets {

struct Country {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view name_en;
  std::string_view name_fr;
};

struct Language {
  std::string_view alpha2;
  std::string_view name_en;
  std::string_view name_fr;
};

// Null when `alpha2` is not an ISO 3166-1 alpha-2 code (case-sensitive: "SN", not "sn").
const Country* FindCountry(std::string_view alpha2);
const std::vector<Country>& AllCountries();
// The UN M49 geographic group of a country: its intermediate region in Africa and Latin
// America, its sub-region elsewhere (datasets/src/m49_table.inc, scripts/gen_m49_table.py).
struct M49Group {
  std::string_view alpha2;
  int code = 0;  // 0: none (Antarctica)
  std::string_view name_en;
  std::string_view name_fr;
};
// Null when `alpha2` is not an ISO 3166-1 alpha-2 code.
const M49Group* FindM49Group(std::string_view alpha2);

// Every country with its French name and M49 group, as the matcher's Catalogue takes it.
matcher::CountryTable CountryTable();

// Null when `alpha2` is not an ISO 639-1 code (lower case).
const Language* FindLanguage(std::string_view alpha2);

// The 18 régions (13 metropolitan, 5 overseas), spelled as INSEE does.
const std::vector<std::string_view>& FrenchRegions();
bool IsFrenchRegion(std::string_view name);

}  // namespace expectmatch::datasets
