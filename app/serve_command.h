// `expectmatch serve`: the HTTP service on a database seeded from a data set folder.
//
// Configured by flags, EXPECTMATCH_* variables and a `key = value` file (expectmatch/app/serve_config.h:
// flag > environment > file > default); an invalid setting stops it at once with a French
// message and exit code 2. It serves /metrics and, unless turned off, writes one JSON
// access-log line per request on stderr. SIGTERM or SIGINT stops it gracefully: no new
// connections, the requests in progress are answered, the ranking log is written, exit 0.
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `serve` subcommand; it runs from its own callback and reports failure by
// throwing CLI::RuntimeError (the process exit code).
void AddServeCommand(CLI::App& app);

}  // namespace expectmatch::app
