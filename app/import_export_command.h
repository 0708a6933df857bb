// `expectmatch import` and `expectmatch export`: data in and out of the database.
//
//   expectmatch import [--db PATH] --data DIR   a data set folder (all five files, or some of
//                                               them to update a seeded database)
//   expectmatch import [--db PATH] --csv FILE   authorities from a spreadsheet
//                                               (format: datasets/collectivites_csv.h)
//   expectmatch export [--db PATH] [--force] OUT
//
// Import merges with what the database holds: records with the same id replace the stored
// ones, others are added, the folder's cooperations replace those of the authorities they name;
// nothing is deleted. The merged data set is validated as a whole first; with any error, every
// error is printed and nothing is written. Only records that differ from the stored ones are
// written (one transaction), so importing the same data twice changes nothing. An empty
// database is seeded from a complete folder (validated before the database file is created).
// Export writes the five files, which import back into a new database identically.
// Exit code 0 on success, 1 on any failure (with a French message on stderr).
#pragma once

#include <CLI/CLI.hpp>

namespace expectmatch::app {

// Registers the `import` and `export` subcommands; they run from their own callbacks and
// report failure by throwing CLI::RuntimeError (the process exit code).
void AddImportExportCommands(CLI::App& app);

}  // namespace expectmatch::app
