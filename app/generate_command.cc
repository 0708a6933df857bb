#include "generate_command.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "dataset_folder.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/writer.h"
#include "expectmatch/synth/generator.h"

namespace expectmatch::app {
namespace {

struct GenerateArgs {
  size_t authorities = 0;
  uint64_t seed = 1;
  size_t history = 0;
  std::string out;
  bool force = false;
  std::string official_list;  // --official-list DIR: draw the authorities from the real list
};

[[noreturn]] void Fail(const std::string& message) {
  std::cerr << "erreur : " << message << "\n";
  throw CLI::RuntimeError(1);
}

// Progress on stderr: rewritten in place on a terminal; otherwise one line per quarter of a
// large stage and one at the end of each stage.
class ProgressPrinter {
 public:
  ProgressPrinter() : terminal_(isatty(STDERR_FILENO) == 1) {}

  void operator()(std::string_view stage, size_t done, size_t total) {
    if (terminal_) {
      std::cerr << "\r" << stage << " : " << done << "/" << total << (done == total ? "\n" : "")
                << std::flush;
      return;
    }
    size_t quarter = total == 0 ? 4 : done * 4 / total;
    if (stage != stage_) {
      stage_ = std::string(stage);
      quarter_ = 0;
    }
    if (done == total || (total >= 10000 && quarter > quarter_)) {
      std::cerr << stage << " : " << done << "/" << total << "\n";
      quarter_ = quarter;
    }
  }

 private:
  bool terminal_;
  std::string stage_;
  size_t quarter_ = 0;
};

void RunGenerate(const GenerateArgs& args) {
  namespace fs = std::filesystem;
  const fs::path out(args.out);
  std::error_code ec;
  if (std::string problem = DatasetFolderProblem(args.out, args.force); !problem.empty())
    Fail(problem);
  fs::create_directories(out, ec);
  if (ec) Fail("impossible de créer le dossier " + args.out + " : " + ec.message());

  auto printer = std::make_shared<ProgressPrinter>();
  synth::GeneratorProgress progress = [printer](std::string_view stage, size_t done, size_t total) {
    (*printer)(stage, done, total);
  };
  datasets::OfficialList official;
  if (!args.official_list.empty()) {
    official = datasets::ReadOfficialList(args.official_list);
    if (!official.ok()) {
      for (const std::string& error : official.errors) std::cerr << error << "\n";
      Fail("liste officielle illisible : " + args.official_list);
    }
  }
  matcher::Dataset data;
  std::optional<synth::HiddenTruth> truth;
  try {
    data = synth::GenerateDataset({args.authorities, args.seed}, official.authorities, progress);
    if (args.history > 0) truth = synth::AddHistory(&data, {args.history, args.seed}, progress);
  } catch (const std::exception& e) {
    Fail(std::string("la génération a échoué : ") + e.what());
  }
  try {
    datasets::WriteDataset(data, out, progress);
  } catch (const std::filesystem::filesystem_error& e) {
    Fail("impossible d'écrire " + e.path1().string() + " : " + e.code().message());
  } catch (const std::exception& e) {
    Fail("impossible d'écrire le jeu de données dans " + args.out + " : " + e.what());
  }
  if (truth) {
    try {
      synth::WriteHiddenTruth(*truth, args.seed, out / "hidden_weights.json");
    } catch (const std::exception& e) {
      Fail("impossible d'écrire " + (out / "hidden_weights.json").string() + " : " + e.what());
    }
  }

  size_t labelled = 0;
  for (const matcher::Collectivite& c : data.collectivites) labelled += !c.labels.empty();
  std::set<std::string> countries;
  for (const matcher::Cooperation& link : data.cooperations) countries.insert(link.country);
  std::cout << "jeu de données synthétique écrit dans " << args.out << " : " << data.themes.size()
            << " thèmes, " << data.collectivites.size() << " collectivités dont " << labelled
            << " labellisées, " << data.cooperations.size() << " coopérations dans "
            << countries.size() << " pays, " << data.missions.size() << " missions, "
            << data.needs.size() << " besoins (graine " << args.seed << ")\n";
  if (!official.authorities.empty()) {
    size_t real = 0;
    for (const matcher::Collectivite& c : data.collectivites)
      real += !c.siren.empty() || !c.insee.empty();
    std::cout << "collectivités tirées de la liste officielle"
              << (official.version.empty() ? std::string() : " (version " + official.version + ")")
              << " : " << real << "\n";
  }
  if (truth) {
    std::cout << "historique : " << truth->decided << " besoins passés décidés, "
              << truth->cancelled
              << " annulés faute de collectivité disponible ; pondération cachée dans "
              << (out / "hidden_weights.json").string() << " (jamais lue par expectmatch tune)\n";
  }
}

}  // namespace

void AddGenerateCommand(CLI::App& app) {
  auto args = std::make_shared<GenerateArgs>();
  auto* generate = app.add_subcommand(
      "generate", "Écrit un jeu de données synthétique réaliste de N collectivités");
  generate->add_option("--authorities", args->authorities, "Nombre de collectivités (au moins 1)")
      ->required()
      ->check(CLI::Range(size_t{1}, size_t{100'000'000}));
  generate->add_option("--seed", args->seed, "Graine : mêmes N et graine, mêmes fichiers")
      ->capture_default_str();
  generate
      ->add_option("--history", args->history,
                   "Ajoute N besoins passés décidés par un agent simulé (pondération cachée dans "
                   "hidden_weights.json)")
      ->check(CLI::Range(size_t{0}, size_t{1'000'000}));
  generate->add_option("out", args->out, "Dossier de sortie (créé s'il n'existe pas)")->required();
  generate->add_flag("--force", args->force, "Écraser les fichiers d'un jeu de données existant");
  generate->add_option(
      "--official-list", args->official_list,
      "Dossier data/ du paquet @etalab/decoupage-administratif : les collectivités "
      "réelles (noms, régions, populations, SIREN, INSEE) au lieu de noms inventés");
  generate->callback([args] { RunGenerate(*args); });
}

}  // namespace expectmatch::app
