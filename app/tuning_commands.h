// `expectmatch evaluate`, `tune` and `whatif`: offline tuning for analysts (docs/TUNING.md),
// on a data set folder's decided needs (features as of each decision day) or
// on the service's database (logged rankings joined with decisions and mission ratings).
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the three subcommands; each runs from its own callback and reports failure by
// throwing CLI::RuntimeError (exit code 1 for bad input or data, 2 for an unknown profile).
void AddTuningCommands(CLI::App& app);

}  // namespace expectmatch::app
