#include "generate_command.h"

namespace expectmatch::app {

void AddGenerateCommand(CLI::App& app) {
  auto* generate = app.add_subcommand("generate", "Écrit un jeu de données synthétique (à venir)");
  generate->callback([] { throw CLI::RuntimeError("generate: pas encore disponible", 1); });
}

}  // namespace expectmatch::app
