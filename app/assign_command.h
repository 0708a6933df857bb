// `expectmatch assign`: the batch assignment of many needs to authorities, from
// OpenReview-style CSV files (--scores, --demand, --capacity) or from stored needs (--data).
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `assign` subcommand; it runs from its own callback and reports failure by
// throwing CLI::RuntimeError (exit code 1: unreadable or invalid input, 3: infeasible problem,
// the diagnostics and the relaxed plan printed all the same).
void AddAssignCommand(CLI::App& app);

}  // namespace expectmatch::app
