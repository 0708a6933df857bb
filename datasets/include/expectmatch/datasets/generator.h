// Synthetic data sets of any size, for national-scale benchmarks (DESIGN.md §1).
//
// GenerateDataset builds a valid data set of `authorities` French authorities with realistic
// distributions: kinds in French proportions (communes, EPCI, départements, régions and a few
// associations), régions weighted by their number of communes, heavy-tailed populations, labels
// on a minority, heavy-tailed cooperation links in the countries of the real atlas (Mali,
// Burkina Faso and Senegal first), past missions and open needs. Every choice comes from the
// seed through the generator's own PRNG and distributions, never from a clock, so the same
// options give the same data set, and WriteDataset the same bytes, on every platform.
// Thread-safe: no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string_view>

#include "expectmatch/matcher/model.h"

namespace expectmatch::datasets {

struct GeneratorOptions {
  size_t authorities = 0;  // number of collectivités, >= 1
  uint64_t seed = 1;
};

// Reports advancing work: `done` of `total` items of `stage`, a French display name
// ("collectivités", "coopérations", "missions", "besoins", "écriture"). Called about a hundred
// times per stage at most, always once with done == total.
using GeneratorProgress = std::function<void(std::string_view stage, size_t done, size_t total)>;

// Sizes derived from the number of authorities (the scale of the French figures: about 12,000
// cooperation links, 120 missions and 45 needs for 36,000 authorities).
struct GeneratorPlan {
  size_t regions = 0;
  size_t departements = 0;
  size_t communes = 0;
  size_t epci = 0;
  size_t associations = 0;
  size_t cooperations = 0;
  size_t missions = 0;
  size_t needs = 0;
};
GeneratorPlan PlanDataset(size_t authorities);

// REQUIRES: options.authorities >= 1.
matcher::Dataset GenerateDataset(const GeneratorOptions& options, const GeneratorProgress& progress = {});

// Writes the five files of `dataset` into the existing folder `dir`, one record per line,
// replacing files of the same name. The files are first written under temporary names
// (`themes.json.tmp`, ...) and renamed once all five are complete. Throws
// std::filesystem::filesystem_error, naming the file, when one cannot be written; the folder's
// data set files are then left as they were.
void WriteDataset(const matcher::Dataset& dataset, const std::filesystem::path& dir,
                  const GeneratorProgress& progress = {});

}  // namespace expectmatch::datasets
