#include "expectmatch/datasets/loader.h"

#include <fstream>
#include <sstream>
#include <unordered_set>

namespace expectmatch::datasets {
namespace {

// Decodes every element of `documents[file]` with `decode`, appending the good ones to `out`
// and, when `has_id`, checking that the records' ids are unique. Returns false when the file is
// missing or is not an array, so callers can stop checking references against it.
template <typename T, typename Decode>
bool DecodeArray(const DatasetDocuments& documents, const std::string& file, Decode decode,
                 bool has_id, std::vector<T>* out, FieldErrors* errors) {
  FieldPath root(file);
  auto it = documents.find(file);
  if (it == documents.end()) {
    errors->push_back({root, "file is missing"});
    return false;
  }
  if (!it->second.is_array()) {
    errors->push_back(
        {root, "expected a JSON array of objects, got " + std::string(JsonTypeName(it->second))});
    return false;
  }
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < it->second.size(); ++i) {
    FieldPath path = root.Index(i);
    const Json& record = it->second[i];
    std::optional<T> value = decode(record, path, errors);
    // Duplicates are checked on the raw id, so a record that failed to decode still claims it.
    auto raw_id = record.is_object() && has_id ? record.find("id") : record.end();
    if (has_id && record.is_object() && raw_id != record.end() && raw_id->is_string() &&
        !ids.insert(raw_id->template get<std::string>()).second) {
      errors->push_back(
          {path.Key("id"), "duplicate id \"" + raw_id->template get<std::string>() + "\""});
      continue;
    }
    if (value) out->push_back(std::move(*value));
  }
  return true;
}

// The string ids of a document's records, decodable or not: references are checked against
// these, so that one bad record is reported once rather than at every place that names it.
std::unordered_set<std::string> RawIds(const DatasetDocuments& documents, const std::string& file) {
  std::unordered_set<std::string> ids;
  auto it = documents.find(file);
  if (it == documents.end() || !it->second.is_array()) return ids;
  for (const Json& record : it->second) {
    if (!record.is_object()) continue;
    auto id = record.find("id");
    if (id != record.end() && id->is_string()) ids.insert(id->get<std::string>());
  }
  return ids;
}

}  // namespace

LoadResult DecodeDataset(const DatasetDocuments& documents) {
  LoadResult result;
  matcher::Dataset& data = result.dataset;
  FieldErrors errors;

  bool themes_ok = DecodeArray<matcher::Theme>(
      documents, "themes.json",
      [](const Json& j, const FieldPath& p, FieldErrors* e) { return DecodeTheme(j, p, e); },
      /*has_id=*/true, &data.themes, &errors);
  std::unordered_set<std::string> theme_ids = RawIds(documents, "themes.json");
  if (themes_ok) {
    const Json& raw = documents.at("themes.json");
    for (size_t i = 0; i < raw.size(); ++i) {
      if (!raw[i].is_object()) continue;
      auto parent = raw[i].find("parent");
      if (parent == raw[i].end() || !parent->is_string() ||
          theme_ids.count(parent->get<std::string>()))
        continue;
      errors.push_back({FieldPath("themes.json").Index(i).Key("parent"),
                        "unknown parent theme \"" + parent->get<std::string>() + "\""});
    }
  }

  References refs;
  refs.themes = themes_ok ? &theme_ids : nullptr;
  bool collectivites_ok = DecodeArray<matcher::Collectivite>(
      documents, "collectivites.json",
      [&](const Json& j, const FieldPath& p, FieldErrors* e) {
        return DecodeCollectivite(j, p, refs, e);
      },
      /*has_id=*/true, &data.collectivites, &errors);
  std::unordered_set<std::string> collectivite_ids = RawIds(documents, "collectivites.json");
  refs.collectivites = collectivites_ok ? &collectivite_ids : nullptr;

  DecodeArray<matcher::Cooperation>(
      documents, "cooperations.json",
      [&](const Json& j, const FieldPath& p, FieldErrors* e) {
        return DecodeCooperation(j, p, refs, e);
      },
      /*has_id=*/false, &data.cooperations, &errors);
  DecodeArray<matcher::Mission>(
      documents, "missions.json",
      [&](const Json& j, const FieldPath& p, FieldErrors* e) {
        return DecodeMission(j, p, refs, e);
      },
      /*has_id=*/true, &data.missions, &errors);
  DecodeArray<matcher::Need>(
      documents, "needs.json",
      [&](const Json& j, const FieldPath& p, FieldErrors* e) { return DecodeNeed(j, p, refs, e); },
      /*has_id=*/true, &data.needs, &errors);

  for (const FieldError& error : errors) result.errors.push_back(error.ToString());
  return result;
}

LoadResult LoadDatasetDir(const std::filesystem::path& dir) {
  DatasetDocuments documents;
  std::vector<std::string> read_errors;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    LoadResult result;
    result.errors.push_back(dir.string() + ": not a directory");
    return result;
  }
  for (const char* file : kDatasetFiles) {
    std::ifstream in(dir / file, std::ios::binary);
    if (!in) {
      read_errors.push_back(std::string(file) + ": file is missing or unreadable in " +
                            dir.string());
      continue;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    try {
      documents[file] = Json::parse(buffer.str());
    } catch (const Json::parse_error& e) {
      // nlohmann's message carries "at line L, column C: ...".
      std::string message = e.what();
      auto pos = message.find("parse error");
      read_errors.push_back(std::string(file) + ": invalid JSON, " +
                            (pos == std::string::npos ? message : message.substr(pos)));
    }
  }
  LoadResult result = DecodeDataset(documents);
  // A file that could not be read is reported once, by its read error, not again as "missing".
  std::vector<std::string> errors = read_errors;
  for (std::string& error : result.errors) {
    bool duplicate = false;
    for (const std::string& read_error : read_errors) {
      if (error.rfind(read_error.substr(0, read_error.find(':')) + ": file is missing", 0) == 0)
        duplicate = true;
    }
    if (!duplicate) errors.push_back(std::move(error));
  }
  result.errors = std::move(errors);
  return result;
}

}  // namespace expectmatch::datasets
