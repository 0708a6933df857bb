// The official list of French local authorities (the package @etalab/decoupage-administratif:
// INSEE's Code officiel géographique and DGCL's BANATIC, Licence Ouverte / Etalab 2.0), and the
// identifiers the data set contract takes from it: SIREN (9 digits, Luhn check digit) and INSEE
// codes (commune 5 characters, département 2 or 3, région 2).
//
// ReadOfficialList reads the package's data folder: the current communes (commune-actuelle), the
// EPCI, the départements and the régions of the 18 régions the project knows (overseas
// collectivités such as Polynésie française are not régions and are left out, counted). A
// département's or a région's population is the sum of its communes' (the files give none); an
// EPCI's région and département are those holding most of its members' population. Stateless;
// thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expectmatch/matcher/model.h"

namespace expectmatch::datasets {

// True when `siren` is 9 ASCII digits whose Luhn sum is a multiple of 10.
bool IsValidSiren(std::string_view siren);

// Why `code` cannot be the INSEE code of an authority of `kind` (French, for people), or empty
// when it can: commune 5 characters (digits, or 2A/2B then 3 digits for Corsica), département 2
// digits, 2A, 2B or 3 digits (overseas), région 2 digits; an EPCI or an association has none.
std::string InseeProblem(matcher::CollectiviteKind kind, std::string_view code);

struct OfficialAuthority {
  matcher::CollectiviteKind kind = matcher::CollectiviteKind::kCommune;
  std::string insee;        // empty for an EPCI (its code is its SIREN)
  std::string siren;        // empty for départements and régions (the files give none)
  std::string name;         // as published, e.g. "L'Abergement-Clémenciat"
  std::string region;       // the project's French région name, e.g. "Auvergne-Rhône-Alpes"
  std::string departement;  // INSEE code; empty for a région
  std::optional<long long> population;
};

struct OfficialList {
  std::vector<OfficialAuthority> authorities;  // régions, départements, EPCI, communes
  std::string version;                         // the package's version, e.g. "6.0.0"; may be empty
  size_t bad_siren = 0;  // rows refused because their SIREN fails the Luhn check
  std::vector<std::string> bad_siren_examples;  // "commune 01001 « Nom » : SIREN 210100013"
  size_t outside_regions = 0;  // rows of overseas collectivités outside the 18 régions, left out
  std::vector<std::string> errors;  // unreadable files or rows (French); the list is empty then
  bool ok() const { return errors.empty(); }
  size_t Count(matcher::CollectiviteKind kind) const;
};

// Reads `dir` (the package's data folder: communes.json, epci.json, departements.json,
// regions.json); `version` is read from `dir`/../package.json when it is there.
OfficialList ReadOfficialList(const std::filesystem::path& dir);

// The project's name of the French région with this INSEE code, or nullopt (overseas
// collectivités, unknown codes).
std::optional<std::string_view> RegionNameForInsee(std::string_view code);

}  // namespace expectmatch::datasets
