// Loading and validating a data set folder (the contract: ARCHITECTURE.md, "The data set
// contract").
//
// A data set is a folder holding themes.json, collectivites.json, cooperations.json,
// missions.json and needs.json, each a JSON array of objects. Validation reports every error
// with its place (`collectivites.json[12].labels[0].theme: unknown theme "patrimoine.musee"`);
// a data set with any error is not used.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/matcher/model.h"

namespace expectmatch::datasets {

// The five files of a data set, in the order they are decoded (later files refer to earlier ones).
inline constexpr const char* kDatasetFiles[] = {"themes.json", "collectivites.json",
                                                "cooperations.json", "missions.json", "needs.json"};

struct LoadResult {
  matcher::Dataset dataset;         // complete only when ok()
  std::vector<std::string> errors;  // each "place: message"
  bool ok() const { return errors.empty(); }
};

// Parsed documents by file name (e.g. "needs.json"), as read from a folder or a database.
using DatasetDocuments = std::map<std::string, Json>;

// Decodes and cross-checks the five documents. A missing document is an error.
LoadResult DecodeDataset(const DatasetDocuments& documents);

// Reads the folder's five files and decodes them. Errors cover missing files, JSON syntax
// (with line and column) and everything DecodeDataset checks.
LoadResult LoadDatasetDir(const std::filesystem::path& dir);

}  // namespace expectmatch::datasets
