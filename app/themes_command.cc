#include "themes_command.h"

#include <iostream>
#include <memory>
#include <sstream>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/matcher/features.h"
#include "expectmatch/understanding/themes.h"

#ifndef EXPECTMATCH_SAMPLE_DIR
#error "EXPECTMATCH_SAMPLE_DIR must be defined by the build"
#endif

namespace expectmatch::app {
namespace {

struct ThemesArgs {
  std::string data = EXPECTMATCH_SAMPLE_DIR;
  std::string text;
  std::size_t k = 5;
  bool json = false;
};

[[noreturn]] void Fail(const std::string& message, int code) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(code);
}

// True when `text` holds something other than spaces.
bool HasContent(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") != std::string::npos;
}

std::string SourceName(const std::string& source) {
  if (source == "taxonomy") return "taxonomie";
  if (source == "need") return "besoin";
  return source;
}

std::string Evidence(const understanding::ThemeSuggestion& suggestion) {
  std::string out;
  for (const understanding::ThemeEvidence& evidence : suggestion.evidence) {
    if (!out.empty()) out += " ; ";
    out += SourceName(evidence.source) + " " + evidence.id;
    if (!evidence.terms.empty()) {
      out += " (";
      for (std::size_t i = 0; i < evidence.terms.size(); ++i)
        out += (i ? ", " : "") + evidence.terms[i];
      out += ")";
    }
  }
  return out;
}

// Display width of UTF-8 text in code points (French text has no wide characters).
std::size_t Width(const std::string& text) {
  std::size_t width = 0;
  for (unsigned char ch : text) width += (ch & 0xC0) != 0x80;
  return width;
}

std::string Pad(const std::string& text, std::size_t width) {
  std::size_t w = Width(text);
  return text + std::string(w < width ? width - w + 1 : 1, ' ');
}

void Suggest(const ThemesArgs& args) {
  if (!HasContent(args.text)) Fail("le texte du besoin est vide", 2);
  if (args.text.size() > kMaxThemeTextBytes) {
    Fail("le texte du besoin dépasse 20 480 octets (" + std::to_string(args.text.size()) +
             " octets)",
         2);
  }
  datasets::LoadResult loaded = datasets::LoadDatasetDir(args.data);
  if (!loaded.ok()) {
    for (const std::string& error : loaded.errors) std::cerr << error << "\n";
    Fail("le jeu de données " + args.data + " est invalide", 1);
  }
  understanding::ThemeSuggester suggester(loaded.dataset);
  std::vector<understanding::ThemeSuggestion> suggestions = suggester.Suggest(args.text, args.k);

  if (args.json) {
    datasets::Json body = {{"suggestions", datasets::Json::array()}};
    for (const understanding::ThemeSuggestion& s : suggestions) {
      datasets::Json evidence = datasets::Json::array();
      for (const understanding::ThemeEvidence& e : s.evidence)
        evidence.push_back({{"source", e.source}, {"id", e.id}, {"terms", e.terms}});
      body["suggestions"].push_back(
          {{"theme", s.theme}, {"label", s.label}, {"score", s.score}, {"evidence", evidence}});
    }
    std::cout << body.dump(2) << "\n";
    return;
  }
  if (suggestions.empty()) {
    std::cout << "aucun thème reconnu dans ce texte\n";
    return;
  }
  std::size_t theme_width = Width("Thème"), label_width = Width("Libellé");
  for (const understanding::ThemeSuggestion& s : suggestions) {
    theme_width = std::max(theme_width, Width(s.theme));
    label_width = std::max(label_width, Width(s.label));
  }
  std::ostringstream out;
  out << Pad("Rang", 4) << Pad("Thème", theme_width) << Pad("Libellé", label_width)
      << Pad("Score", 5) << "Indices\n";
  for (std::size_t i = 0; i < suggestions.size(); ++i) {
    const understanding::ThemeSuggestion& s = suggestions[i];
    out << Pad(std::to_string(i + 1), 4) << Pad(s.theme, theme_width) << Pad(s.label, label_width)
        << Pad(matcher::FormatFrench(s.score, 2), 5) << Evidence(s) << "\n";
  }
  std::cout << out.str();
}

}  // namespace

void AddThemesCommand(CLI::App& app) {
  auto args = std::make_shared<ThemesArgs>();
  auto* themes =
      app.add_subcommand("themes", "Thèmes de la taxonomie pour un besoin décrit en français");
  themes->require_subcommand(1);
  auto* suggest = themes->add_subcommand(
      "suggest", "Suggère les sous-thèmes d'un texte, avec les documents qui les justifient");
  suggest->add_option("texte", args->text, "Description du besoin, en français")->required();
  suggest->add_option("--k", args->k, "Nombre de thèmes suggérés")
      ->check(CLI::Range(std::size_t{1}, std::size_t{58}))
      ->capture_default_str();
  suggest->add_flag("--json", args->json, "Sortie JSON");
  suggest->add_option("--data", args->data, "Dossier du jeu de données")->capture_default_str();
  suggest->callback([args] { Suggest(*args); });
}

}  // namespace expectmatch::app
