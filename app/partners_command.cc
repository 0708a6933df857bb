#include "partners_command.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/understanding/partners.h"

#ifndef EXPECTMATCH_SAMPLE_DIR
#error "EXPECTMATCH_SAMPLE_DIR must be defined by the build"
#endif

namespace expectmatch::app {
namespace {

using understanding::MatchKind;
using understanding::PartnerCandidate;
using understanding::PartnerResolution;

struct PartnersArgs {
  std::string data = EXPECTMATCH_SAMPLE_DIR;
  std::string country;
  std::string text;
  size_t limit = 5;
  bool json = false;
};

[[noreturn]] void Fail(const std::string& message, int code) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(code);
}

// "0,93": scores as a French reader writes them.
std::string Score(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  for (char& c : text)
    if (c == '.') c = ',';
  return text;
}

const char* KindFr(MatchKind kind) {
  switch (kind) {
    case MatchKind::kId:
      return "identifiant";
    case MatchKind::kName:
      return "nom";
    case MatchKind::kAlias:
      return "autre nom";
    case MatchKind::kFuzzy:
      return "nom approché";
  }
  return "";
}

const char* KindJson(MatchKind kind) {
  switch (kind) {
    case MatchKind::kId:
      return "id";
    case MatchKind::kName:
      return "name";
    case MatchKind::kAlias:
      return "alias";
    case MatchKind::kFuzzy:
      return "fuzzy";
  }
  return "";
}

std::string Pad(const std::string& text, size_t width) {
  size_t shown = 0;  // code points
  for (unsigned char ch : text) shown += (ch & 0xC0) != 0x80;
  return shown >= width ? text + " " : text + std::string(width - shown, ' ');
}

std::string FormatTable(const PartnersArgs& args, std::string_view country_name,
                        const PartnerResolution& r) {
  std::ostringstream out;
  out << "Saisie : « " << args.text << " » (" << country_name << ")\n";
  if (r.resolved) {
    const PartnerCandidate& c = *r.resolved;
    out << "Reconnu : " << c.partner->name << " (" << c.partner->id << "), score " << Score(c.score)
        << ", par " << KindFr(c.kind) << "\n";
  } else {
    out << "Aucun partenaire reconnu\n";
  }
  if (r.candidates.empty()) {
    out << "Aucun candidat.\n";
    return out.str();
  }
  size_t id_width = 14, name_width = 10;
  for (const PartnerCandidate& c : r.candidates) {
    id_width = std::max(id_width, c.partner->id.size() + 2);
    name_width = std::max(name_width, c.partner->name.size() + 2);
  }
  out << "\nCandidats :\n"
      << Pad("Rang", 6) << Pad("Score", 7) << Pad("Identifiant", id_width) << Pad("Nom", name_width)
      << Pad("Par", 14) << "Correspondance\n";
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const PartnerCandidate& c = r.candidates[i];
    out << Pad(std::to_string(i + 1), 6) << Pad(Score(c.score), 7) << Pad(c.partner->id, id_width)
        << Pad(c.partner->name, name_width) << Pad(KindFr(c.kind), 14) << c.matched << "\n";
  }
  return out.str();
}

nlohmann::json EncodeCandidate(const PartnerCandidate& c) {
  return {{"id", c.partner->id},
          {"name", c.partner->name},
          {"score", c.score},
          {"kind", KindJson(c.kind)},
          {"matched", c.matched}};
}

void RunPartners(PartnersArgs args) {
  for (char& c : args.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const datasets::Country* country = datasets::FindCountry(args.country);
  if (!country) Fail("pays inconnu « " + args.country + " » (code ISO 3166-1 alpha-2 attendu)", 2);
  if (args.text.find_first_not_of(" \t\r\n") == std::string::npos)
    Fail("le nom du partenaire est vide", 2);
  datasets::LoadResult loaded = datasets::LoadDatasetDir(args.data);
  if (!loaded.ok()) {
    for (const std::string& error : loaded.errors) std::cerr << error << "\n";
    Fail("le jeu de données " + args.data + " est invalide", 1);
  }
  const understanding::PartnerDirectory directory(loaded.dataset, {}, {});
  const understanding::PartnerResolver resolver(directory);
  const PartnerResolution r = resolver.Resolve(args.country, args.text, args.limit);
  if (args.json) {
    nlohmann::json candidates = nlohmann::json::array();
    for (const PartnerCandidate& c : r.candidates) candidates.push_back(EncodeCandidate(c));
    const nlohmann::json body = {
        {"country", args.country},
        {"text", args.text},
        {"resolved", r.resolved ? EncodeCandidate(*r.resolved) : nlohmann::json(nullptr)},
        {"candidates", candidates}};
    std::cout << body.dump(2) << "\n";
  } else {
    std::cout << FormatTable(args, country->name_fr, r);
  }
}

}  // namespace

void AddPartnersCommand(CLI::App& app) {
  auto args = std::make_shared<PartnersArgs>();
  auto* partners = app.add_subcommand(
      "partners", "Reconnaît le partenaire étranger désigné par un nom saisi, dans un pays");
  partners->add_option("text", args->text, "Nom ou identifiant du partenaire, tel que saisi")
      ->required();
  partners->add_option("--country", args->country, "Pays du partenaire (code ISO alpha-2)")
      ->required();
  partners->add_option("--limit", args->limit, "Nombre de candidats listés")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100}));
  partners->add_flag("--json", args->json, "Sortie JSON");
  partners->add_option("--data", args->data, "Dossier du jeu de données")->capture_default_str();
  partners->callback([args] { RunPartners(*args); });
}

}  // namespace expectmatch::app
