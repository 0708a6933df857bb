#include "expectmatch/api/service.h"

#include <charconv>
#include <chrono>
#include <ctime>
#include <random>
#include <cstdio>
#include <exception>
#include <vector>

#include "expectmatch/api/match_json.h"
#include "expectmatch/api/problem.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/ranker.h"

namespace expectmatch::api {
namespace {

using datasets::Json;
using Handler = HttpResponse (Service::*)(const HttpRequest&, const PathParams&) const;

constexpr size_t kMaxPageSize = 200;

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Matches "/v1/needs/{id}" against a path, capturing the braced segments.
bool MatchPattern(const std::string& pattern, const std::string& path, PathParams* params) {
  std::vector<std::string> want = SplitPath(pattern), got = SplitPath(path);
  if (want.size() != got.size()) return false;
  PathParams captured;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (got[i].empty()) return false;
      captured[want[i].substr(1, want[i].size() - 2)] = got[i];
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  *params = std::move(captured);
  return true;
}

// JSON bodies are accepted as application/json (or any +json type), and with no type or
// curl's default form type, since embassy scripts often omit the header.
bool AcceptableJsonType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return type.empty() || type == "application/json" || type == "application/x-www-form-urlencoded" ||
         (type.rfind("application/", 0) == 0 && type.size() > 5 && type.substr(type.size() - 5) == "+json");
}

// Parses the request body as JSON; on failure returns the problem to answer.
std::optional<HttpResponse> ParseJsonBody(const HttpRequest& request, Json* body) {
  if (!AcceptableJsonType(request.Header("content-type"))) {
    return Problem(415, "the request body must be JSON (Content-Type: application/json)",
                   {{"", "Content-Type", "unsupported media type \"" + request.Header("content-type") + "\""}});
  }
  try {
    *body = Json::parse(request.body);
  } catch (const Json::parse_error& e) {
    std::string message = e.what();
    auto pos = message.find("parse error");
    return Problem(400, "the request body is not valid JSON",
                   {{"", "", pos == std::string::npos ? message : message.substr(pos)}});
  }
  return std::nullopt;
}

// Parses a non-negative integer query parameter within [min, max].
bool ParseSize(const std::string& text, size_t min, size_t max, size_t* out) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return false;
  *out = value;
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return buffer;
}

std::string NowRfc3339() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

Json EncodeProfile(const matcher::Profile& profile) {
  return Json{{"name", profile.name},
              {"version", profile.version},
              {"description", profile.description},
              {"weights", EncodeWeights(profile.weights)}};
}

}  // namespace

struct Route {
  const char* method;
  const char* pattern;
  Handler handler;
};

static const Route kRoutes[] = {
    {"GET", "/healthz", &Service::GetHealthz},
    {"GET", "/v1/themes", &Service::GetThemes},
    {"GET", "/v1/needs", &Service::GetNeeds},
    {"GET", "/v1/needs/{id}", &Service::GetNeed},
    {"POST", "/v1/match", &Service::PostMatch},
    {"GET", "/v1/profiles", &Service::GetProfiles},
    {"GET", "/v1/profiles/{name}", &Service::GetProfile},
};

Service::Service(store::Store& store, std::shared_ptr<const Snapshot> snapshot, RankingLog* log)
    : store_(store), snapshot_(std::move(snapshot)), log_(log) {
  auto map = std::make_shared<ProfileMap>();
  for (const store::ProfileRow& row : store_.LatestProfiles()) map->emplace(row.name, ProfileFromRow(row));
  profiles_ = std::move(map);
}

HttpResponse Service::Handle(const HttpRequest& request) const {
  std::string allowed;
  for (const Route& route : kRoutes) {
    PathParams params;
    if (!MatchPattern(route.pattern, request.path, &params)) continue;
    if (request.method == route.method || (request.method == "HEAD" && std::string(route.method) == "GET")) {
      HttpResponse response;
      try {
        response = (this->*route.handler)(request, params);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s %s: %s\n", request.method.c_str(), request.path.c_str(), e.what());
        response = Problem(500, "internal error; the request was not applied");
      }
      response.route = route.pattern;
      return response;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
  }
  if (!allowed.empty()) {
    HttpResponse response = Problem(405, "method " + request.method + " is not allowed on " + request.path);
    response.headers["Allow"] = allowed;
    return response;
  }
  return Problem(404, "no such resource: " + request.path);
}

HttpResponse Service::GetHealthz(const HttpRequest&, const PathParams&) const {
  auto snap = snapshot();
  return JsonResponse(200, {{"status", "ok"},
                            {"collectivites", snap->catalogue.collectivites().size()},
                            {"needs", snap->catalogue.needs().size()},
                            {"schema_version", store_.SchemaVersion()}});
}

HttpResponse Service::GetThemes(const HttpRequest&, const PathParams&) const {
  Json items = Json::array();
  for (const auto& theme : snapshot()->catalogue.taxonomy().themes()) items.push_back(datasets::Encode(theme));
  return JsonResponse(200, {{"items", items}, {"total", items.size()}});
}

HttpResponse Service::GetNeeds(const HttpRequest& request, const PathParams&) const {
  store::NeedQuery query;
  std::vector<ProblemField> errors;
  for (const auto& [name, value] : request.query) {
    if (name == "status") {
      if (!datasets::StatusFromName(value)) errors.push_back({"", name, "unknown status \"" + value + "\""});
      query.status = value;
    } else if (name == "country") {
      if (!datasets::FindCountry(value)) errors.push_back({"", name, "unknown country \"" + value + "\", expected ISO 3166-1 alpha-2"});
      query.country = value;
    } else if (name == "limit") {
      if (!ParseSize(value, 1, kMaxPageSize, &query.limit)) {
        errors.push_back({"", name, "must be an integer between 1 and " + std::to_string(kMaxPageSize)});
      }
    } else if (name == "offset") {
      if (!ParseSize(value, 0, 1'000'000'000, &query.offset)) errors.push_back({"", name, "must be a non-negative integer"});
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Problem(400, "invalid query parameters", errors);
  store::NeedPage page = store_.ListNeeds(query);
  Json items = Json::array();
  for (const store::NeedRow& row : page.needs) items.push_back(Json::parse(row.json));
  return JsonResponse(200, {{"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}});
}

HttpResponse Service::GetNeed(const HttpRequest&, const PathParams& params) const {
  const std::string& id = params.at("id");
  std::optional<store::NeedRow> row = store_.GetNeed(id);
  if (!row) return Problem(404, "unknown need \"" + id + "\"", {{"", "id", "no need with this id"}});
  return JsonResponse(200, Json::parse(row->json));
}

HttpResponse Service::PostMatch(const HttpRequest& request, const PathParams&) const {
  Json body;
  if (auto problem = ParseJsonBody(request, &body)) return *problem;
  auto snap = snapshot();
  datasets::FieldErrors errors;
  std::optional<MatchRequest> match = DecodeMatchRequest(body, snap->references(), &errors);
  if (!match) return Problem(422, "the match request is invalid", errors);

  const matcher::Need* need = match->need ? &*match->need : nullptr;
  if (!need) {
    int index = snap->catalogue.FindNeed(match->need_id);
    if (index < 0) return Problem(404, "unknown need \"" + match->need_id + "\"", {{"/need_id", "", "no need with this id"}});
    need = &snap->catalogue.needs()[static_cast<size_t>(index)];
  }
  std::optional<matcher::Profile> base;
  if (match->profile_version) {
    if (auto row = store_.GetProfile(match->profile, match->profile_version)) base = ProfileFromRow(*row);
  } else {
    auto cached = profiles();
    if (auto it = cached->find(match->profile); it != cached->end()) base = it->second;
  }
  if (!base) {
    std::string known;
    for (const auto& [name, profile] : *profiles()) known += (known.empty() ? "" : ", ") + name;
    return Problem(404, "unknown profile \"" + match->profile + "\"" +
                            (match->profile_version ? " version " + std::to_string(*match->profile_version) : ""),
                   {{match->profile_version ? "/profile_version" : "/profile", "", "known profiles: " + known}});
  }
  std::optional<matcher::Profile> profile = EffectiveProfile(*base, *match, &errors);
  if (!profile) return Problem(422, "the match request is invalid", errors);

  matcher::RankOptions options;
  options.k = match->k;
  options.explain = match->explain;
  options.list_excluded = match->include_excluded;
  options.max_per_region = match->max_per_region;
  matcher::Ranking ranking = matcher::RankNeed(snap->catalogue, *need, *profile, options);

  const std::string request_id = NewRequestId();
  if (log_) {
    log_->Record({request_id, NowRfc3339(), profile->name, profile->version, need->id, datasets::Encode(*need).dump(),
                  EncodeLoggedCandidates(ranking, snap->catalogue).dump()});
  }
  Json response = EncodeRanking(ranking, snap->catalogue, *need, match->explain, &*match);
  response["request_id"] = request_id;
  HttpResponse out = JsonResponse(200, response);
  out.headers["X-Request-Id"] = request_id;
  return out;
}

HttpResponse Service::GetProfiles(const HttpRequest&, const PathParams&) const {
  Json items = Json::array();
  for (const auto& [name, profile] : *profiles()) items.push_back(EncodeProfile(profile));
  return JsonResponse(200, {{"items", items}, {"total", items.size()}});
}

HttpResponse Service::GetProfile(const HttpRequest& request, const PathParams& params) const {
  const std::string& name = params.at("name");
  std::optional<int> version;
  for (const auto& [key, value] : request.query) {
    size_t parsed = 0;
    if (key != "version") return Problem(400, "invalid query parameters", {{"", key, "unknown query parameter"}});
    if (!ParseSize(value, 1, 1'000'000, &parsed)) {
      return Problem(400, "invalid query parameters", {{"", "version", "must be a positive integer"}});
    }
    version = static_cast<int>(parsed);
  }
  std::optional<store::ProfileRow> row = store_.GetProfile(name, version);
  if (!row) {
    return Problem(404, "unknown profile \"" + name + "\"", {{"", version ? "version" : "name", "no such profile"}});
  }
  Json body = EncodeProfile(ProfileFromRow(*row));
  Json versions = Json::array();
  for (const store::ProfileRow& v : store_.ProfileVersions(name)) versions.push_back({{"version", v.version}, {"created_at", v.created_at}});
  body["versions"] = versions;
  return JsonResponse(200, body);
}

}  // namespace expectmatch::api
