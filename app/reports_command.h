// `expectmatch reports import`: mission reports' summaries written from a JSON file, such as the
// reports of missions made before the service existed, so that capitalisation searches them too.
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `reports` subcommand; failures throw CLI::RuntimeError (the exit code): 1 when
// the file cannot be read or a report is invalid (nothing is written then).
void AddReportsCommand(CLI::App& app);

}  // namespace expectmatch::app
