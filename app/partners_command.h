// `expectmatch partners`: which foreign partner of a country a typed name designates, as the
// embassies' forms will ask it.
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `partners` subcommand; it runs from its own callback and reports failure by
// throwing CLI::RuntimeError (exit code 1: invalid data set; 2: unknown country or empty text).
void AddPartnersCommand(CLI::App& app);

}  // namespace expectmatch::app
