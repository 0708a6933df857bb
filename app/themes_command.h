// `expectmatch themes suggest`: themes of the taxonomy suggested for a need described in French.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>

namespace expectmatch::app {

// Registers the `themes` subcommand; failures throw CLI::RuntimeError (the exit code): 2 for a
// text that is empty or over kMaxThemeTextBytes, 1 for an unreadable data set.
void AddThemesCommand(CLI::App& app);

// The longest text accepted, in bytes (20 KiB).
inline constexpr std::size_t kMaxThemeTextBytes = 20480;

}  // namespace expectmatch::app
