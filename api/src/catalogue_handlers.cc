// Authorities and weight profiles.
#include <regex>
#include <set>

#include "expectmatch/api/match_json.h"
#include "expectmatch/api/service.h"
#include "expectmatch/datasets/reference.h"
#include "handler_util.h"

namespace expectmatch::api {
namespace {

using datasets::FieldPath;
using internal::Json;
using internal::JsonResponse;

Json EncodeProfile(const matcher::Profile& profile) {
  return Json{{"name", profile.name},
              {"version", profile.version},
              {"description", profile.description},
              {"weights", EncodeWeights(profile.weights)}};
}

}  // namespace

HttpResponse Service::GetCollectivites(const Call& call) const {
  store::CollectiviteQuery query;
  std::vector<ProblemField> errors;
  for (const auto& [name, value] : call.request.query) {
    if (name == "region") {
      if (!datasets::IsFrenchRegion(value)) errors.push_back({"", name, "unknown French région \"" + value + "\""});
      query.region = value;
    } else if (name == "kind") {
      static const std::set<std::string> kKinds = {"region", "departement", "commune", "epci", "association"};
      if (!kKinds.count(value)) errors.push_back({"", name, "unknown kind \"" + value + "\""});
      query.kind = value;
    } else if (name == "theme") {
      if (!snapshot()->theme_ids.count(value)) errors.push_back({"", name, "unknown theme \"" + value + "\""});
      query.theme = value;
    } else if (name == "language") {
      if (!datasets::FindLanguage(value)) errors.push_back({"", name, "unknown language \"" + value + "\", expected ISO 639-1"});
      query.language = value;
    } else if (internal::ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Problem(400, "invalid query parameters", errors);
  store::DocumentPage page = store_.ListCollectivites(query);
  Json items = Json::array();
  for (const store::Document& doc : page.items) items.push_back(Json::parse(doc.json));
  return JsonResponse(200, {{"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}});
}

HttpResponse Service::GetCollectivite(const Call& call) const {
  const std::string& id = call.params.at("id");
  std::optional<store::Document> doc = store_.GetCollectivite(id);
  if (!doc) return Problem(404, "unknown collectivite \"" + id + "\"", {{"", "id", "no collectivité with this id"}});
  return JsonResponse(200, Json::parse(doc->json));
}

HttpResponse Service::PutCollectivite(const Call& call) const {
  const std::string& id = call.params.at("id");
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  datasets::FieldErrors errors;
  if (body.is_object()) {
    if (!body.contains("id")) body["id"] = id;
    if (body["id"] != id) {
      errors.push_back({FieldPath().Key("id"), "must be the id in the path, \"" + id + "\""});
    } else if (!internal::IsValidId(id)) {
      errors.push_back({FieldPath().Key("id"), "ids are 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"});
    }
  }
  auto snap = snapshot();
  std::optional<matcher::Collectivite> c = datasets::DecodeCollectivite(body, FieldPath(), snap->references(), &errors);
  if (!c || !errors.empty()) return Problem(422, "the collectivité is invalid", errors);
  const bool existed = store_.GetCollectivite(id).has_value();
  store::SeedDocuments docs;
  docs.collectivites.push_back(store_rows::CollectiviteRowFor(*c));
  store_.Import(docs);
  // Authorities change rarely and a caller expects the next match to see the change at once.
  Refresh();
  HttpResponse response = JsonResponse(existed ? 200 : 201, datasets::Encode(*c));
  if (!existed) response.headers["Location"] = "/v1/collectivites/" + id;
  return response;
}

HttpResponse Service::GetProfiles(const Call&) const {
  Json items = Json::array();
  for (const auto& [name, profile] : *profiles()) items.push_back(EncodeProfile(profile));
  return JsonResponse(200, {{"items", items}, {"total", items.size()}});
}

HttpResponse Service::GetProfile(const Call& call) const {
  const std::string& name = call.params.at("name");
  std::optional<int> version;
  for (const auto& [key, value] : call.request.query) {
    size_t parsed = 0;
    if (key != "version") return Problem(400, "invalid query parameters", {{"", key, "unknown query parameter"}});
    if (!internal::ParseSize(value, 1, 1'000'000, &parsed)) {
      return Problem(400, "invalid query parameters", {{"", "version", "must be a positive integer"}});
    }
    version = static_cast<int>(parsed);
  }
  std::optional<store::ProfileRow> row = store_.GetProfile(name, version);
  if (!row) {
    const bool known = !store_.ProfileVersions(name).empty();
    return Problem(404, "unknown profile \"" + name + "\"" + (known ? " version " + std::to_string(*version) : ""),
                   {{"", known ? "version" : "name", known ? "no such version" : "no such profile"}});
  }
  Json body = EncodeProfile(ProfileFromRow(*row));
  Json versions = Json::array();
  for (const store::ProfileRow& v : store_.ProfileVersions(name)) versions.push_back({{"version", v.version}, {"created_at", v.created_at}});
  body["versions"] = versions;
  return JsonResponse(200, body);
}

HttpResponse Service::PutProfile(const Call& call) const {
  const std::string& name = call.params.at("name");
  static const std::regex kName("[a-z0-9_-]{1,64}");
  if (!std::regex_match(name, kName)) {
    return Problem(400, "invalid profile name", {{"", "name", "expected 1 to 64 of a-z, 0-9, _ and -"}});
  }
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  datasets::FieldErrors errors;
  std::string description;
  std::optional<std::array<std::optional<double>, matcher::kFeatureCount>> weights;
  if (!body.is_object()) {
    errors.push_back({FieldPath(), "expected a JSON object"});
  } else {
    for (const auto& [key, value] : body.items()) {
      if (key != "weights" && key != "description" && key != "name") errors.push_back({FieldPath().Key(key), "unknown field"});
    }
    if (body.contains("name") && body["name"] != name) errors.push_back({FieldPath().Key("name"), "must be the name in the path"});
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
      weights = DecodeWeights(body["weights"], FieldPath().Key("weights"), /*complete=*/true, &errors);
    }
  }
  if (weights) {
    double total = 0;
    for (const auto& w : *weights) total += w.value_or(0.0);
    if (total <= 0.0) errors.push_back({FieldPath().Key("weights"), "at least one weight must be positive"});
  }
  if (!errors.empty()) return Problem(422, "the profile is invalid", errors);
  matcher::Profile profile;
  profile.name = name;
  profile.description = description;
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) profile.weights[f] = *(*weights)[f];
  profile.version = store_.SaveProfile(name, description, EncodeWeights(profile.weights).dump());
  ReloadProfiles();
  HttpResponse response = JsonResponse(profile.version == 1 ? 201 : 200, EncodeProfile(profile));
  response.headers["Location"] = "/v1/profiles/" + name + "?version=" + std::to_string(profile.version);
  return response;
}

}  // namespace expectmatch::api
