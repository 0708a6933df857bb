// Reference tables of the synthetic data set generator: the theme taxonomy, the French régions
// and départements, the national associations of elected officials, and the countries of
// decentralised cooperation with their weight in the real atlas of decentralised cooperation
// (the proportions of its public figures: Mali, Burkina Faso and Senegal first).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace expectmatch::synth::internal {

// A theme of the taxonomy. Sub-themes carry how common they are in cooperation and needs, and
// an infinitive phrase for need descriptions ("organiser la collecte des déchets ménagers").
struct ThemeRow {
  std::string id;
  std::string label;
  std::string parent;  // empty for a domain
  double popularity = 0.0;
  std::string need_phrase;
};
// The taxonomy of datasets/taxonomy/themes.json, built into the library, in the file's order
// (each domain before its sub-themes).
const std::vector<ThemeRow>& Themes();

// How the place names of a région sound.
enum class NameFlavour { kGeneric, kBreton, kGermanic, kOccitan, kNorthern, kOverseas };

// One row per région.
struct RegionRow {
  std::string_view name;            // as FrenchRegions() spells it
  std::string_view authority_name;  // "Région Bretagne", "Collectivité de Corse"
  long long population = 0;
  double communes = 0;  // number of communes, the weight of the région for communes
  double epci = 0;      // number of EPCI
  NameFlavour flavour = NameFlavour::kGeneric;
  std::string_view languages;  // foreign languages more often spoken there, e.g. "es it"
};
const std::vector<RegionRow>& Regions();

// The 101 départements, in INSEE order.
struct DepartementRow {
  std::string_view name;  // "Gironde"
  std::string_view of;    // "de la Gironde"
  size_t region = 0;      // index into FrenchRegions()
};
const std::vector<DepartementRow>& Departements();

// National associations of elected officials, by name.
const std::vector<std::string_view>& NationalAssociations();

// How a country's local authorities are named.
enum class PartnerStyle {
  kSahel,
  kMaghreb,
  kLevant,
  kMalagasy,
  kEastAsian,
  kLatin,
  kCreole,
  kEuropean
};
// The working languages its needs usually name.
enum class NeedLanguages {
  kFrench,
  kFrenchArabic,
  kFrenchEnglish,
  kEnglish,
  kSpanish,
  kPortuguese
};

struct CountryRow {
  std::string_view code;  // ISO 3166-1 alpha-2
  double weight = 0;      // share of cooperation links, in projects of the real atlas
  PartnerStyle style = PartnerStyle::kSahel;
  NeedLanguages languages = NeedLanguages::kFrench;
};
// By decreasing weight: Mali, Burkina Faso, Senegal first.
const std::vector<CountryRow>& Countries();

}  // namespace expectmatch::synth::internal
