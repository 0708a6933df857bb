// Writing a data set folder, and the progress reports of long data set operations (writing a
// large data set, generating a synthetic one).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

#include "expectmatch/matcher/model.h"

namespace expectmatch::datasets {

// Reports advancing work: `done` of `total` items of `stage`, a French display name
// ("collectivités", "coopérations", "missions", "besoins", "écriture"). Called about a hundred
// times per stage at most, always once with done == total.
using Progress = std::function<void(std::string_view stage, size_t done, size_t total)>;

// Reports one stage's progress to a Progress (which may be empty) about a hundred times, and
// once at its end. Keeps a reference to `progress`, which must outlive it.
class StageProgress {
 public:
  StageProgress(const Progress& progress, std::string_view stage, size_t total);
  void Advance(size_t done);
  void Finish() { Advance(total_); }

 private:
  const Progress& progress_;
  std::string_view stage_;
  size_t total_;
  size_t step_;
  size_t next_;
  bool finished_ = false;
};

// Writes the five files of `dataset` into the existing folder `dir`, one record per line,
// replacing files of the same name. The files are first written under temporary names
// (`themes.json.tmp`, ...) and renamed once all five are complete. Throws
// std::filesystem::filesystem_error, naming the file, when one cannot be written; the folder's
// data set files are then left as they were.
void WriteDataset(const matcher::Dataset& dataset, const std::filesystem::path& dir,
                  const Progress& progress = {});

}  // namespace expectmatch::datasets
