#include "reports_command.h"

#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/store/store.h"

namespace expectmatch::app {
namespace {

using datasets::Json;

struct ReportsArgs {
  std::string db = "var/expectmatch.db";
  std::string file;
};

[[noreturn]] void Fail(const std::string& message, int code = 1) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(code);
}

// The summary document of one imported report, or the reasons it is refused.
Json Summary(const Json& item, const std::string& where, store::Store& store,
             std::vector<std::string>* errors) {
  Json summary = Json::object();
  if (!item.is_object()) {
    errors->push_back(where + " : un objet est attendu");
    return summary;
  }
  for (const char* key : {"need", "collectivite"}) {
    if (!item.contains(key) || !item[key].is_string() || item[key].get<std::string>().empty())
      errors->push_back(where + "." + key + " : texte non vide attendu");
  }
  if (item.value("need", Json()).is_string() && !item["need"].get<std::string>().empty() &&
      !store.GetNeed(item["need"].get<std::string>()))
    errors->push_back(where + ".need : besoin inconnu « " + item["need"].get<std::string>() + " »");
  if (item.value("collectivite", Json()).is_string() &&
      !item["collectivite"].get<std::string>().empty() &&
      !store.GetCollectivite(item["collectivite"].get<std::string>()))
    errors->push_back(where + ".collectivite : collectivité inconnue « " +
                      item["collectivite"].get<std::string>() + " »");
  bool text = false;
  for (const char* key : {"resultats", "recommandations", "suites_envisagees"}) {
    if (!item.contains(key)) continue;
    if (!item[key].is_string()) {
      errors->push_back(where + "." + key + " : texte attendu");
      continue;
    }
    text = text || !item[key].get<std::string>().empty();
    summary[key] = item[key];
  }
  if (!text)
    errors->push_back(where + " : resultats, recommandations ou suites_envisagees est requis");
  for (const char* key : {"daect_rating", "partner_rating"}) {
    if (!item.contains(key) || item[key].is_null()) continue;
    if (!item[key].is_number_integer() || item[key].get<long long>() < 1 ||
        item[key].get<long long>() > 5) {
      errors->push_back(where + "." + key + " : entier de 1 à 5 attendu");
      continue;
    }
    summary[key] = item[key];
  }
  static const std::set<std::string> kKnown = {
      "need",         "collectivite",  "resultats", "recommandations", "suites_envisagees",
      "daect_rating", "partner_rating"};
  for (const auto& [key, value] : item.items()) {
    if (!kKnown.contains(key)) errors->push_back(where + "." + key + " : champ inconnu");
  }
  return summary;
}

void Import(const ReportsArgs& args) {
  std::ifstream in(args.file);
  if (!in) Fail("impossible de lire " + args.file);
  std::stringstream text;
  text << in.rdbuf();
  const Json reports = Json::parse(text.str(), nullptr, false);
  if (!reports.is_array()) Fail(args.file + " : un tableau JSON de comptes rendus est attendu");
  store::Store store(args.db);
  std::vector<std::string> errors;
  std::vector<store::ReportRow> rows;
  const std::string now = service::NowRfc3339();
  for (std::size_t i = 0; i < reports.size(); ++i) {
    Json summary = Summary(reports[i], "[" + std::to_string(i) + "]", store, &errors);
    if (errors.empty()) {
      rows.push_back({reports[i]["need"].get<std::string>(),
                      reports[i]["collectivite"].get<std::string>(), summary.dump(), now, "cli"});
    }
  }
  if (!errors.empty()) {
    for (const std::string& error : errors) std::cerr << args.file << error << "\n";
    Fail("aucun compte rendu importé");
  }
  for (const store::ReportRow& row : rows) store.PutReport(row);
  std::cout << rows.size() << " compte(s) rendu(s) importé(s)\n";
}

}  // namespace

void AddReportsCommand(CLI::App& app) {
  auto args = std::make_shared<ReportsArgs>();
  auto* reports = app.add_subcommand("reports", "Comptes rendus de mission");
  reports->require_subcommand(1);
  auto* import = reports->add_subcommand(
      "import",
      "Importe des synthèses de comptes rendus (tableau JSON : need, collectivite, resultats, "
      "recommandations, suites_envisagees, daect_rating, partner_rating)");
  import->add_option("fichier", args->file, "Fichier JSON")->required();
  import->add_option("--db", args->db, "Base SQLite")->capture_default_str();
  import->callback([args] { Import(*args);
});
}  // namespace expectmatch::app

}  // namespace expectmatch::app
