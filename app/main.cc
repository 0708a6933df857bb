// expectmatch: the command line. match and validate live here; serve and generate in their own files.
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "assign_command.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/service/match.h"
#include "expectmatch/service/snapshot.h"
#include "generate_command.h"
#include "import_export_command.h"
#include "keys_command.h"
#include "partners_command.h"
#include "reports_command.h"
#include "serve_command.h"
#include "table.h"
#include "themes_command.h"
#include "tuning_commands.h"

#ifndef EXPECTMATCH_SAMPLE_DIR
#error "EXPECTMATCH_SAMPLE_DIR must be defined by the build"
#endif

namespace {

using namespace expectmatch;

int RunValidate(const std::string& dir) {
  datasets::LoadResult result = datasets::LoadDatasetDir(dir);
  if (!result.ok()) {
    for (const std::string& error : result.errors) std::cerr << error << "\n";
    std::cerr << dir << " : " << result.errors.size()
              << (result.errors.size() == 1 ? " erreur" : " erreurs") << "\n";
    return 1;
  }
  const matcher::Dataset& d = result.dataset;
  std::cout << dir << " : jeu de données valide (" << d.themes.size() << " thèmes, "
            << d.collectivites.size() << " collectivités, " << d.cooperations.size()
            << " coopérations, " << d.missions.size() << " missions, " << d.needs.size()
            << " besoins)\n";
  return 0;
}

struct MatchArgs {
  std::string need;
  std::string profile = "default";
  size_t max_per_region = 0;
  size_t k = 10;
  bool json = false;
  bool include_excluded = false;
  std::string data = EXPECTMATCH_SAMPLE_DIR;
  std::string db;
};

int RunMatch(const MatchArgs& args) {
  service::MatchRequest request;
  request.need_id = args.need;
  request.k = args.k;
  request.profile = args.profile;
  request.include_excluded = args.include_excluded;
  request.max_per_region = args.max_per_region;
  std::shared_ptr<const service::Snapshot> snapshot;
  service::MatchOutcome outcome;
  try {
    // With --db: the store (seeded from --data when empty) gives the catalogue, the profiles
    // and the needs written since; without, the data set folder and the built-in profiles.
    std::unique_ptr<store::Store> store;
    if (!args.db.empty()) {
      store = std::make_unique<store::Store>(args.db);
      snapshot = service::OpenSnapshot(*store, args.data);
    } else {
      datasets::LoadResult loaded = datasets::LoadDatasetDir(args.data);
      if (!loaded.ok()) {
        for (const std::string& error : loaded.errors) std::cerr << error << "\n";
        std::cerr << "erreur : le jeu de données " << args.data << " est invalide\n";
        return 1;
      }
      snapshot = std::make_shared<const service::Snapshot>(std::move(loaded.dataset));
    }
    service::ProfileResolver profiles(store.get());
    service::Status status =
        service::MatchNeed({snapshot, &profiles, store.get()}, request, nullptr, &outcome);
    if (!status.ok()) {
      const bool profile = status.fields().front().pointer.rfind("/profile", 0) == 0;
      std::cerr << "erreur : "
                << (profile ? "profil inconnu « " + args.profile : "besoin inconnu « " + args.need)
                << " »\n";
      return 2;
    }
  } catch (const std::exception& e) {
    std::cerr << "erreur : " << e.what() << "\n";
    return 1;
  }
  const matcher::Catalogue& catalogue = snapshot->catalogue;
  const matcher::Need& need = *outcome.need;
  const matcher::Ranking& ranking = outcome.ranking;
  if (args.json) {
    std::cout
        << datasets::Json::parse(service::EncodeRanking(ranking, catalogue, need, true, nullptr, "", &outcome.partner)).dump(2)
        << "\n";
  } else {
    std::cout << app::FormatRankingTable(ranking, catalogue, need);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "EXPE-CT Match : classe les collectivités labellisées pour les besoins relayés par les "
      "ambassades"};
  app.require_subcommand(1);

  std::string validate_dir;
  auto* validate = app.add_subcommand(
      "validate", "Vérifie un dossier de jeu de données et liste toutes ses erreurs");
  validate->add_option("dir", validate_dir, "Dossier du jeu de données")->required();

  MatchArgs match_args;
  auto* match = app.add_subcommand(
      "match", "Classe les collectivités pour un besoin (liste restreinte expliquée)");
  match->add_option("--need", match_args.need, "Identifiant du besoin")->required();
  match->add_option("--k", match_args.k, "Nombre de candidats")
      ->check(CLI::Range(size_t{1}, service::kMaxK));
  match->add_flag("--json", match_args.json, "Sortie JSON (comme POST /v1/match)");
  match->add_flag("--excluded", match_args.include_excluded,
                  "Lister les collectivités exclues et leur filtre");
  match
      ->add_option("--profile", match_args.profile,
                   "Profil de pondération (default, ouverture, ...)")
      ->capture_default_str();
  match
      ->add_option("--max-per-region", match_args.max_per_region,
                   "Au plus N candidats par région (0 : sans limite)")
      ->check(CLI::Range(size_t{0}, service::kMaxPerRegionLimit));
  match->add_option("--data", match_args.data, "Dossier du jeu de données")->capture_default_str();
  match->add_option("--db", match_args.db, "Base SQLite (initialisée depuis --data si vide)");

  app::AddAssignCommand(app);
  app::AddServeCommand(app);
  app::AddGenerateCommand(app);
  app::AddImportExportCommands(app);
  app::AddKeysCommand(app);
  app::AddPartnersCommand(app);
  app::AddTuningCommands(app);
  app::AddThemesCommand(app);
  app::AddReportsCommand(app);

  CLI11_PARSE(app, argc, argv);
  if (*validate) return RunValidate(validate_dir);
  if (*match) return RunMatch(match_args);
  return 0;
}
