#include "expectmatch/datasets/official_list.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace expectmatch::datasets {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using matcher::CollectiviteKind;

// INSEE région codes (COG) → the project's région names (datasets/src/reference.cc).
constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kRegionCodes = {{
    {"01", "Guadeloupe"},
    {"02", "Martinique"},
    {"03", "Guyane"},
    {"04", "La Réunion"},
    {"06", "Mayotte"},
    {"11", "Île-de-France"},
    {"24", "Centre-Val de Loire"},
    {"27", "Bourgogne-Franche-Comté"},
    {"28", "Normandie"},
    {"32", "Hauts-de-France"},
    {"44", "Grand Est"},
    {"52", "Pays de la Loire"},
    {"53", "Bretagne"},
    {"75", "Nouvelle-Aquitaine"},
    {"76", "Occitanie"},
    {"84", "Auvergne-Rhône-Alpes"},
    {"93", "Provence-Alpes-Côte d'Azur"},
    {"94", "Corse"},
}};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Text(const Json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::optional<long long> Number(const Json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<long long>();
}

// The file's top-level array, or an error in `list`.
std::optional<Json> ReadArray(const fs::path& path, OfficialList* list) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    list->errors.push_back(path.filename().string() + " : fichier introuvable dans " +
                           path.parent_path().string());
    return std::nullopt;
  }
  Json json = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_array()) {
    list->errors.push_back(path.filename().string() + " : JSON illisible ou pas un tableau");
    return std::nullopt;
  }
  return json;
}

// The key holding the largest weight (ties: the smallest key), or empty.
std::string Heaviest(const std::map<std::string, long long>& weights) {
  std::string best;
  long long most = -1;
  for (const auto& [key, weight] : weights) {
    if (weight > most) {
      best = key;
      most = weight;
    }
  }
  return best;
}

}  // namespace

bool IsValidSiren(std::string_view siren) {
  if (siren.size() != 9 || !AllDigits(siren)) return false;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) {
    int digit = siren[8 - i] - '0';
    if (i % 2 == 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 == 0;
}

std::string InseeProblem(CollectiviteKind kind, std::string_view code) {
  switch (kind) {
    case CollectiviteKind::kCommune: {
      bool corsica = code.size() == 5 && code[0] == '2' && (code[1] == 'A' || code[1] == 'B') &&
                     AllDigits(code.substr(2));
      if (code.size() == 5 && (AllDigits(code) || corsica)) return "";
      return "le code INSEE d'une commune a 5 caractères (chiffres, ou 2A/2B puis 3 chiffres)";
    }
    case CollectiviteKind::kDepartement:
      if ((code.size() == 2 && (AllDigits(code) || code == "2A" || code == "2B")) ||
          (code.size() == 3 && AllDigits(code)))
        return "";
      return "le code INSEE d'un département a 2 ou 3 caractères (01, 2A, 974…)";
    case CollectiviteKind::kRegion:
      if (code.size() == 2 && AllDigits(code)) return "";
      return "le code INSEE d'une région a 2 chiffres";
    case CollectiviteKind::kEpci:
      return "un EPCI n'a pas de code INSEE (son identifiant est son numéro SIREN)";
    case CollectiviteKind::kAssociation:
      return "une association n'a pas de code INSEE";
  }
  return "code INSEE invalide";
}

std::optional<std::string_view> RegionNameForInsee(std::string_view code) {
  for (const auto& [insee, name] : kRegionCodes) {
    if (insee == code) return name;
  }
  return std::nullopt;
}

size_t OfficialList::Count(CollectiviteKind kind) const {
  return static_cast<size_t>(std::count_if(authorities.begin(), authorities.end(),
                                           [kind](const auto& a) { return a.kind == kind; }));
}

OfficialList ReadOfficialList(const fs::path& dir) {
  OfficialList list;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    list.errors.push_back("dossier introuvable : " + dir.string());
    return list;
  }
  std::optional<Json> communes = ReadArray(dir / "communes.json", &list);
  std::optional<Json> epci = ReadArray(dir / "epci.json", &list);
  std::optional<Json> departements = ReadArray(dir / "departements.json", &list);
  std::optional<Json> regions = ReadArray(dir / "regions.json", &list);
  if (!list.ok()) return list;
  if (std::ifstream package(dir.parent_path() / "package.json"); package) {
    Json json = Json::parse(package, nullptr, false);
    if (json.is_object()) list.version = Text(json, "version");
  }

  auto refuse_siren = [&list](std::string_view kind, const std::string& code,
                              const std::string& name, const std::string& siren) {
    ++list.bad_siren;
    if (list.bad_siren_examples.size() < 10) {
      list.bad_siren_examples.push_back(std::string(kind) + " " + code + " « " + name +
                                        " » : SIREN " + siren);
    }
  };

  std::vector<OfficialAuthority> rows;
  // Communes first: their populations add up to their département's and région's, and their
  // départements and régions place the EPCI.
  std::map<std::string, long long> population_by_departement, population_by_region;
  std::map<std::string, const OfficialAuthority*> commune_by_insee;
  std::vector<OfficialAuthority> commune_rows;
  for (const Json& row : *communes) {
    if (!row.is_object() || Text(row, "type") != "commune-actuelle") continue;
    std::optional<std::string_view> region = RegionNameForInsee(Text(row, "region"));
    if (!region) {
      ++list.outside_regions;
      continue;
    }
    OfficialAuthority a;
    a.kind = CollectiviteKind::kCommune;
    a.insee = Text(row, "code");
    a.name = Text(row, "nom");
    a.siren = Text(row, "siren");
    a.region = std::string(*region);
    a.departement = Text(row, "departement");
    a.population = Number(row, "population");
    if (a.insee.empty() || a.name.empty() || !InseeProblem(a.kind, a.insee).empty()) {
      list.errors.push_back("communes.json : commune sans code INSEE valide ni nom (« " + a.insee +
                            " »)");
      continue;
    }
    // A commune whose SIREN is refused still lives in its département and région.
    population_by_departement[a.departement] += a.population.value_or(0);
    population_by_region[a.region] += a.population.value_or(0);
    if (!a.siren.empty() && !IsValidSiren(a.siren)) {
      refuse_siren("commune", a.insee, a.name, a.siren);
      continue;
    }
    commune_rows.push_back(std::move(a));
  }
  for (const OfficialAuthority& a : commune_rows) commune_by_insee[a.insee] = &a;

  for (const Json& row : *regions) {
    if (!row.is_object()) continue;
    std::optional<std::string_view> name = RegionNameForInsee(Text(row, "code"));
    if (!name) {
      ++list.outside_regions;
      continue;
    }
    OfficialAuthority a;
    a.kind = CollectiviteKind::kRegion;
    a.insee = Text(row, "code");
    a.name = Text(row, "nom");
    a.region = std::string(*name);
    a.population = population_by_region[a.region];
    rows.push_back(std::move(a));
  }
  for (const Json& row : *departements) {
    if (!row.is_object()) continue;
    std::optional<std::string_view> region = RegionNameForInsee(Text(row, "region"));
    if (!region) {
      ++list.outside_regions;
      continue;
    }
    OfficialAuthority a;
    a.kind = CollectiviteKind::kDepartement;
    a.insee = Text(row, "code");
    a.name = Text(row, "nom");
    a.region = std::string(*region);
    a.departement = a.insee;
    a.population = population_by_departement[a.insee];
    if (!InseeProblem(a.kind, a.insee).empty()) {
      list.errors.push_back("departements.json : code INSEE invalide « " + a.insee + " »");
      continue;
    }
    rows.push_back(std::move(a));
  }
  for (const Json& row : *epci) {
    if (!row.is_object()) continue;
    OfficialAuthority a;
    a.kind = CollectiviteKind::kEpci;
    a.siren = Text(row, "code");
    a.name = Text(row, "nom");
    a.population = Number(row, "populationTotale");
    if (!IsValidSiren(a.siren)) {
      refuse_siren("EPCI", a.siren, a.name, a.siren);
      continue;
    }
    std::map<std::string, long long> by_region, by_departement;
    if (auto members = row.find("membres"); members != row.end() && members->is_array()) {
      for (const Json& member : *members) {
        if (!member.is_object()) continue;
        auto commune = commune_by_insee.find(Text(member, "code"));
        if (commune == commune_by_insee.end()) continue;
        long long weight = Number(member, "populationTotale").value_or(0) + 1;
        by_region[commune->second->region] += weight;
        by_departement[commune->second->departement] += weight;
      }
    }
    a.region = Heaviest(by_region);
    a.departement = Heaviest(by_departement);
    if (a.region.empty()) {
      ++list.outside_regions;
      continue;
    }
    rows.push_back(std::move(a));
  }
  for (OfficialAuthority& a : commune_rows) rows.push_back(std::move(a));
  if (!list.ok()) return list;
  list.authorities = std::move(rows);
  return list;
}

}  // namespace expectmatch::datasets
