// `expectmatch keys create|list|revoke`: API keys for DAECT staff, analysts and embassies.
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `keys` subcommand; failures throw CLI::RuntimeError (the exit code).
void AddKeysCommand(CLI::App& app);

}  // namespace expectmatch::app
