// Checks shared by the commands that write a data set folder (generate, export).
#pragma once

#include <string>

namespace expectmatch::app {

// Why `out` cannot receive a data set: it is a file, or it already holds data set files and
// `force` is false. Empty when it can (the folder itself may not exist yet). French.
std::string DatasetFolderProblem(const std::string& out, bool force);

}  // namespace expectmatch::app
