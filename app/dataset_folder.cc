#include "dataset_folder.h"

#include <filesystem>

#include "expectmatch/datasets/loader.h"

namespace expectmatch::app {

std::string DatasetFolderProblem(const std::string& out, bool force) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec))
    return out + " existe et n'est pas un dossier";
  std::string existing;
  for (const char* file : datasets::kDatasetFiles) {
    if (fs::exists(fs::path(out) / file, ec))
      existing += (existing.empty() ? "" : ", ") + std::string(file);
  }
  if (!existing.empty() && !force) {
    return out + " contient déjà un jeu de données (" + existing +
           ") ; ajoutez --force pour l'écraser";
  }
  return "";
}

}  // namespace expectmatch::app
