// `expectmatch serve`: the HTTP service on a database seeded from a data set folder.
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `serve` subcommand; it runs from its own callback and reports failure by
// throwing CLI::RuntimeError (the process exit code).
void AddServeCommand(CLI::App& app);

}  // namespace expectmatch::app
