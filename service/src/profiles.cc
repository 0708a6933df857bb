#include "expectmatch/service/profiles.h"

#include <regex>
#include <stdexcept>

#include "expectmatch/service/match_json.h"
#include "expectmatch/service/snapshot.h"
#include "query.h"

namespace expectmatch::service {

using datasets::FieldPath;
using datasets::Json;

matcher::Profile ProfileFromRow(const store::ProfileRow& row) {
  datasets::FieldErrors errors;
  auto weights = DecodeWeights(ParseStoredDocument(row.weights, "profile " + row.name),
                               datasets::FieldPath("weights"),
                               /*complete=*/true, &errors);
  if (!weights)
    throw std::runtime_error("invalid stored profile " + row.name + ": " +
                             errors.front().ToString());
  matcher::Profile profile;
  profile.name = row.name;
  profile.version = row.version;
  profile.description = row.description;
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) profile.weights[f] = *(*weights)[f];
  return profile;
}

void EnsureBuiltinProfiles(store::Store& store) {
  if (!store.LatestProfiles().empty()) return;
  for (const matcher::Profile& profile : matcher::BuiltinProfiles()) {
    store.SaveProfile(profile.name, profile.description, EncodeWeights(profile.weights).dump());
  }
}

Json EncodeProfile(const matcher::Profile& profile) {
  return Json{{"name", profile.name},
              {"version", profile.version},
              {"description", profile.description},
              {"weights", EncodeWeights(profile.weights)}};
}

ProfileResolver::ProfileResolver(store::Store* store) : store_(store) { Reload(); }

void ProfileResolver::Reload() const {
  auto map = std::make_shared<ProfileMap>();
  if (store_) {
    for (const store::ProfileRow& row : store_->LatestProfiles())
      map->emplace(row.name, ProfileFromRow(row));
  }
  std::atomic_store(&latest_, std::shared_ptr<const ProfileMap>(std::move(map)));
}

std::optional<matcher::Profile> ProfileResolver::Latest(const std::string& name) const {
  auto cached = latest();
  if (auto it = cached->find(name); it != cached->end()) return it->second;
  for (const matcher::Profile& builtin : matcher::BuiltinProfiles()) {
    if (builtin.name == name) return builtin;
  }
  return std::nullopt;
}

Status ProfileResolver::Resolve(const std::string& name, std::optional<int> version,
                                matcher::Profile* profile) const {
  if (version) {
    if (std::optional<store::ProfileRow> row =
            store_ ? store_->GetProfile(name, version) : std::nullopt) {
      *profile = ProfileFromRow(*row);
      return Status::Ok();
    }
  } else if (std::optional<matcher::Profile> found = Latest(name)) {
    *profile = std::move(*found);
    return Status::Ok();
  }
  std::string known;
  for (const auto& [known_name, known_profile] : *latest())
    known += (known.empty() ? "" : ", ") + known_name;
  return Status::NotFound(
      "unknown profile \"" + name + "\"" + (version ? " version " + std::to_string(*version) : ""),
      {{version ? "/profile_version" : "/profile", "", "known profiles: " + known}});
}

Json ProfileResolver::List() const {
  Json items = Json::array();
  for (const auto& [name, profile] : *latest()) items.push_back(EncodeProfile(profile));
  return {{"items", items}, {"total", items.size()}};
}

Status ProfileResolver::Get(const std::string& name,
                            const std::multimap<std::string, std::string>& query, Json* out) const {
  std::optional<int> version;
  for (const auto& [key, value] : query) {
    size_t parsed = 0;
    if (key != "version")
      return Status::Malformed("invalid query parameters", {{"", key, "unknown query parameter"}});
    if (!ParseSize(value, 1, 1'000'000, &parsed)) {
      return Status::Malformed("invalid query parameters",
                               {{"", "version", "must be a positive integer"}});
    }
    version = static_cast<int>(parsed);
  }
  std::optional<store::ProfileRow> row = store_->GetProfile(name, version);
  if (!row) {
    const bool known = !store_->ProfileVersions(name).empty();
    return Status::NotFound(
        "unknown profile \"" + name + "\"" + (known ? " version " + std::to_string(*version) : ""),
        {{"", known ? "version" : "name", known ? "no such version" : "no such profile"}});
  }
  Json body = EncodeProfile(ProfileFromRow(*row));
  Json versions = Json::array();
  for (const store::ProfileRow& v : store_->ProfileVersions(name)) {
    versions.push_back({{"version", v.version}, {"created_at", v.created_at}});
  }
  body["versions"] = versions;
  *out = std::move(body);
  return Status::Ok();
}

Status ProfileResolver::CheckName(const std::string& name) {
  static const std::regex kName("[a-z0-9_-]{1,64}");
  if (!std::regex_match(name, kName)) {
    return Status::Malformed("invalid profile name",
                             {{"", "name", "expected 1 to 64 of a-z, 0-9, _ and -"}});
  }
  return Status::Ok();
}

Status ProfileResolver::Save(const std::string& name, const Json& body, Json* out) const {
  if (Status status = CheckName(name); !status.ok()) return status;
  datasets::FieldErrors errors;
  std::string description;
  std::optional<std::array<std::optional<double>, matcher::kFeatureCount>> weights;
  if (!body.is_object()) {
    errors.push_back({FieldPath(), "expected a JSON object"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "weights" && key != "description" && key != "name")
        errors.push_back({FieldPath().Key(key), "unknown field"});
    }
    if (body.contains("name") && body["name"] != name)
      errors.push_back({FieldPath().Key("name"), "must be the name in the path"});
    if (body.contains("description")) {
      if (!body["description"].is_string()) {
        errors.push_back({FieldPath().Key("description"), "expected a string"});
      } else {
        description = body["description"].get<std::string>();
      }
    }
    if (!body.contains("weights")) {
      errors.push_back({FieldPath().Key("weights"), "required field is missing"});
    } else {
      weights =
          DecodeWeights(body["weights"], FieldPath().Key("weights"), /*complete=*/true, &errors);
    }
  }
  if (weights) {
    double total = 0;
    for (const auto& w : *weights) total += w.value_or(0.0);
    if (total <= 0.0)
      errors.push_back({FieldPath().Key("weights"), "at least one weight must be positive"});
  }
  if (!errors.empty()) return Status::InvalidArgument("the profile is invalid", errors);
  matcher::Profile profile;
  profile.name = name;
  profile.description = description;
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) profile.weights[f] = *(*weights)[f];
  profile.version = store_->SaveProfile(name, description, EncodeWeights(profile.weights).dump());
  Reload();
  *out = EncodeProfile(profile);
  return Status::Ok();
}

}  // namespace expectmatch::service
