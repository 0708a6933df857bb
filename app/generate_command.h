// `expectmatch generate`: writes a synthetic data set of any size.
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `generate` subcommand; it runs from its own callback and reports failure by
// throwing CLI::RuntimeError (the process exit code).
void AddGenerateCommand(CLI::App& app);

}  // namespace expectmatch::app
