#include "expectmatch/api/service.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <random>
#include <set>
#include <vector>

#include "expectmatch/api/match_json.h"
#include "expectmatch/api/openapi.h"
#include "expectmatch/api/problem.h"
#include "handler_util.h"
#include "rate_limit.h"

namespace expectmatch::api {
namespace internal {

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

namespace {
// JSON bodies are accepted as application/json (or any +json type), and with no type or
// curl's default form type, since embassy scripts often omit the header.
bool AcceptableJsonType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return type.empty() || type == "application/json" || type == "application/x-www-form-urlencoded" ||
         (type.rfind("application/", 0) == 0 && type.size() > 5 && type.substr(type.size() - 5) == "+json");
}
// Deeper bodies are refused before they are parsed: nlohmann's copies and dumps recurse, and
// a megabyte of "[" would overflow a worker's stack (issue 8, hostile input).
constexpr int kMaxJsonDepth = 64;

// True when arrays and objects nest deeper than kMaxJsonDepth (strings skipped).
bool TooDeep(const std::string& text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\') {
        ++i;
      } else if (ch == '"') {
        in_string = false;
      }
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return false;
}

// Replays a parse to learn where it fails (only on the error path): the JSON pointer of the
// value being read, the error, and whether it is a number out of range or too deep a nesting.
class FailureLocator final : public nlohmann::json_sax<Json> {
 public:
  std::string pointer;
  std::string message;
  bool out_of_range = false;
  bool too_deep = false;
  bool duplicate = false;

  bool null() override { return Done(); }
  bool boolean(bool) override { return Done(); }
  bool number_integer(number_integer_t) override { return Done(); }
  bool number_unsigned(number_unsigned_t) override { return Done(); }
  bool number_float(number_float_t, const string_t&) override { return Done(); }
  bool string(string_t&) override { return Done(); }
  bool binary(binary_t&) override { return Done(); }
  bool start_object(std::size_t) override { return Open(false); }
  bool key(string_t& key) override {
    frames_.back().key = key;
    if (!frames_.back().keys.insert(key).second) {
      pointer = Pointer();
      duplicate = true;
      return false;
    }
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(true); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    pointer = Pointer();
    message = e.what();
    out_of_range = e.id == 406;
    return false;
  }

 private:
  struct Frame {
    bool array;
    size_t index = 0;
    std::string key;
    std::set<std::string> keys;
  };
  std::string Pointer() const {
    std::string out;
    for (const Frame& frame : frames_) {
      out += '/';
      if (frame.array) {
        out += std::to_string(frame.index);
        continue;
      }
      for (char ch : frame.key) {
        if (ch == '~') {
          out += "~0";
        } else if (ch == '/') {
          out += "~1";
        } else {
          out += ch;
        }
      }
    }
    return out;
  }
  bool Done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool Open(bool array) {
    if (static_cast<int>(frames_.size()) >= kMaxJsonDepth) {
      pointer = Pointer();
      too_deep = true;
      return false;
    }
    frames_.push_back(Frame{array, 0, {}, {}});
    return true;
  }
  bool Close() {
    frames_.pop_back();
    return Done();
  }
  std::vector<Frame> frames_;
};

size_t CountMembers(const Json& json) {
  size_t count = json.is_object() ? json.size() : 0;
  if (json.is_structured()) {
    for (const Json& child : json) count += CountMembers(child);
  }
  return count;
}

HttpResponse JsonFailure(const std::string& text) {
  FailureLocator locator;
  Json::sax_parse(text, &locator);
  if (locator.too_deep) {
    return Problem(400, "the request body nests arrays and objects deeper than " + std::to_string(kMaxJsonDepth) + " levels",
                   {{locator.pointer, "", "nested too deep"}});
  }
  if (locator.duplicate) {
    return Problem(400, "the request body names a member twice", {{locator.pointer, "", "duplicate member name"}});
  }
  if (locator.out_of_range) {
    return Problem(422, "the request body holds a number out of range", {{locator.pointer, "", "number out of range"}});
  }
  std::string message = locator.message.empty() ? "parse error" : locator.message;
  if (auto pos = message.find("parse error"); pos != std::string::npos) message = message.substr(pos);
  if (!locator.pointer.empty()) message += " (at " + locator.pointer + ")";
  return Problem(400, "the request body is not valid JSON", {{"", "", message}});
}
}  // namespace

std::optional<HttpResponse> ParseJsonBody(const HttpRequest& request, Json* body) {
  if (!AcceptableJsonType(request.Header("content-type"))) {
    return Problem(415, "the request body must be JSON (Content-Type: application/json)",
                   {{"", "Content-Type", "unsupported media type \"" + request.Header("content-type") + "\""}});
  }
  if (TooDeep(request.body)) return JsonFailure(request.body);
  size_t keys_read = 0;
  try {
    *body = Json::parse(request.body, [&keys_read](int, Json::parse_event_t event, Json&) {
      if (event == Json::parse_event_t::key) ++keys_read;
      return true;
    });
  } catch (const Json::exception&) {
    // Syntax errors, invalid UTF-8, and numbers beyond a double (1e400).
    return JsonFailure(request.body);
  }
  // nlohmann keeps the last of duplicate members silently: fewer members than keys read means
  // a duplicate, which is refused rather than guessed at.
  if (keys_read != CountMembers(*body)) return JsonFailure(request.body);
  return std::nullopt;
}

bool ParseSize(const std::string& text, size_t min, size_t max, size_t* out) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return false;
  *out = value;
  return true;
}

bool ParsePaging(const std::string& name, const std::string& value, size_t* limit, size_t* offset,
                 std::vector<ProblemField>* errors) {
  constexpr size_t kMaxPageSize = 200;
  if (name == "limit") {
    if (!ParseSize(value, 1, kMaxPageSize, limit)) {
      errors->push_back({"", name, "must be an integer between 1 and " + std::to_string(kMaxPageSize)});
    }
    return true;
  }
  if (name == "offset") {
    if (!ParseSize(value, 0, 1'000'000'000, offset)) errors->push_back({"", name, "must be a non-negative integer"});
    return true;
  }
  return false;
}

std::string NowRfc3339() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string Today() { return NowRfc3339().substr(0, 10); }

bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > 64 || !std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-';
  });
}

std::string NewRequestId() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(random()),
                static_cast<unsigned long long>(random()));
  return buffer;
}

}  // namespace internal

namespace {

using internal::Json;
using internal::JsonResponse;
using Handler = HttpResponse (Service::*)(const Call&) const;

// Who may call a route. Embassy keys are further limited to their country by the handler.
enum Access : unsigned {
  kOpen = 0,
  kDaect = 1u << 0,
  kAnalyst = 1u << 1,
  kEmbassy = 1u << 2,
  kReaders = kDaect | kAnalyst,
  kEveryone = kDaect | kAnalyst | kEmbassy,
};

unsigned RoleBit(Role role) {
  switch (role) {
    case Role::kDaect: return kDaect;
    case Role::kAnalyst: return kAnalyst;
    case Role::kEmbassy: return kEmbassy;
  }
  return 0;
}

struct Route {
  const char* method;
  const char* pattern;
  Handler handler;
  unsigned access;
};

// The one route table.
const Route kRoutes[] = {
    {"GET", "/healthz", &Service::GetHealthz, kOpen},
    {"GET", "/openapi.json", &Service::GetOpenApi, kOpen},
    {"GET", "/v1/whoami", &Service::GetWhoami, kEveryone},
    {"GET", "/v1/themes", &Service::GetThemes, kEveryone},
    {"POST", "/v1/match", &Service::PostMatch, kEveryone},
    {"GET", "/v1/needs", &Service::GetNeeds, kEveryone},
    {"POST", "/v1/needs", &Service::PostNeed, kDaect | kEmbassy},
    {"GET", "/v1/needs/{id}", &Service::GetNeed, kEveryone},
    {"PATCH", "/v1/needs/{id}", &Service::PatchNeed, kDaect},
    {"POST", "/v1/needs/{id}/decision", &Service::PostDecision, kDaect},
    {"PUT", "/v1/needs/{id}/mission", &Service::PutMission, kDaect},
    {"GET", "/v1/reports/overdue", &Service::GetOverdueReports, kReaders},
    {"GET", "/v1/collectivites", &Service::GetCollectivites, kReaders},
    {"GET", "/v1/collectivites/{id}", &Service::GetCollectivite, kReaders},
    {"PUT", "/v1/collectivites/{id}", &Service::PutCollectivite, kDaect},
    {"GET", "/v1/profiles", &Service::GetProfiles, kReaders},
    {"GET", "/v1/profiles/{name}", &Service::GetProfile, kReaders},
    {"PUT", "/v1/profiles/{name}", &Service::PutProfile, kReaders},
    {"POST", "/v1/assignments", &Service::PostAssignments, kDaect},
    {"GET", "/v1/assignments/{id}", &Service::GetAssignment, kDaect},
    {"POST", "/v1/assignments/{id}/accept", &Service::PostAssignmentAccept, kDaect},
};

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

// "300", "0.5": a rate for messages.
std::string FormatRate(double rate) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", rate);
  return buffer;
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

}  // namespace

Service::Service(store::Store& store, std::shared_ptr<const Snapshot> snapshot, RankingLog* log, ServiceOptions options)
    : store_(store), snapshot_(std::move(snapshot)), log_(log), options_(options) {
  snapshot_generation_ = store_.Generation();
  if (options_.rate_limit_per_second > 0) {
    limiter_ = std::make_unique<internal::RateLimiter>(options_.rate_limit_per_second,
                                                       std::max(1.0, options_.rate_limit_burst));
  }
  ReloadProfiles();
  if (options_.refresh_interval.count() > 0) refresher_ = std::thread([this] { RunRefresher(); });
}

Service::~Service() {
  {
    std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

std::optional<matcher::Profile> Service::LookUpProfile(const std::string& name, std::optional<int> version) const {
  if (version) {
    if (auto row = store_.GetProfile(name, version)) return ProfileFromRow(*row);
    return std::nullopt;
  }
  auto cached = profiles();
  if (auto it = cached->find(name); it != cached->end()) return it->second;
  return std::nullopt;
}

void Service::ReloadProfiles() const {
  auto map = std::make_shared<ProfileMap>();
  for (const store::ProfileRow& row : store_.LatestProfiles()) map->emplace(row.name, ProfileFromRow(row));
  std::atomic_store(&profiles_, std::shared_ptr<const ProfileMap>(std::move(map)));
}

bool Service::Refresh() const {
  std::lock_guard lock(refresh_mutex_);
  const uint64_t generation = store_.Generation();
  if (generation == snapshot_generation_) return false;
  datasets::LoadResult loaded = LoadFromStore(store_);
  if (!loaded.ok()) {
    // Writes are validated before they are stored, so this means someone edited the database
    // by hand: keep serving the last good snapshot.
    std::fprintf(stderr, "snapshot not rebuilt, the database holds an invalid data set: %s\n", loaded.errors.front().c_str());
    snapshot_generation_ = generation;
    return false;
  }
  std::atomic_store(&snapshot_, std::make_shared<const Snapshot>(std::move(loaded.dataset)));
  snapshot_generation_ = generation;
  return true;
}

void Service::RequestRefresh() const {
  {
    std::lock_guard lock(wake_mutex_);
    wake_requested_ = true;
  }
  wake_.notify_one();
}

void Service::RunRefresher() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.refresh_interval, [&] { return stopping_ || wake_requested_; });
    if (stopping_) return;
    wake_requested_ = false;
    lock.unlock();
    try {
      Refresh();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "snapshot refresh failed: %s\n", e.what());
    }
    lock.lock();
  }
}

std::optional<Principal> Service::Authenticate(const HttpRequest& request) const {
  return api::Authenticate(store_, request.Header("authorization"));
}

HttpResponse Service::Handle(const HttpRequest& request) const {
  std::string allowed;
  for (const Route& route : kRoutes) {
    PathParams params;
    if (!MatchPattern(route.pattern, request.path, &params)) continue;
    if (request.method != route.method && !(request.method == "HEAD" && std::string(route.method) == "GET")) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
      continue;
    }
    HttpResponse response;
    std::optional<Principal> principal;
    try {
      if (route.access != kOpen) principal = Authenticate(request);
      if (route.access != kOpen && !principal) {
        response = Problem(401, "a valid API key is required (Authorization: Bearer <key>)",
                           {{"", "Authorization", "missing, malformed, unknown or revoked key"}});
        response.headers["WWW-Authenticate"] = "Bearer realm=\"expectmatch\"";
      } else if (principal && !(route.access & RoleBit(principal->role))) {
        response = Problem(403, "the " + std::string(RoleName(principal->role)) + " role may not " + request.method + " " +
                                    route.pattern);
      } else if (std::optional<double> wait = principal && limiter_ ? limiter_->Take(principal->key_id) : std::nullopt) {
        response = Problem(429, "this key made too many requests; retry later",
                           {{"", "Authorization", "at most " + FormatRate(options_.rate_limit_per_second) +
                                                      " requests a second on average for this key"}});
        response.headers["Retry-After"] = std::to_string(static_cast<long long>(std::ceil(*wait)));
      } else {
        response = (this->*route.handler)(Call{request, params, principal ? &*principal : nullptr});
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s %s: %s\n", request.method.c_str(), request.path.c_str(), e.what());
      response = Problem(500, "internal error; the request was not applied");
    }
    response.route = route.pattern;
    if (principal) {
      response.log_fields["role"] = std::string(RoleName(principal->role));
      response.log_fields["key_id"] = principal->key_id;
      if (!principal->country.empty()) response.log_fields["country"] = principal->country;
    }
    return response;
  }
  if (!allowed.empty()) {
    HttpResponse response = Problem(405, "method " + request.method + " is not allowed on " + request.path);
    response.headers["Allow"] = allowed;
    return response;
  }
  return Problem(404, "no such resource: " + request.path, {{"", "path", "no route matches this path"}});
}

HttpResponse Service::GetHealthz(const Call&) const {
  auto snap = snapshot();
  return JsonResponse(200, {{"status", "ok"},
                            {"collectivites", snap->catalogue.collectivites().size()},
                            {"needs", snap->catalogue.needs().size()},
                            {"schema_version", store_.SchemaVersion()}});
}

HttpResponse Service::GetWhoami(const Call& call) const {
  Json body{{"key_id", call.principal->key_id}, {"role", RoleName(call.principal->role)}};
  if (call.principal->role == Role::kEmbassy) body["country"] = call.principal->country;
  return JsonResponse(200, body);
}

HttpResponse Service::GetOpenApi(const Call&) const {
  HttpResponse response;
  response.body = std::string(OpenApiDocument());
  return response;
}

HttpResponse Service::GetThemes(const Call&) const {
  Json items = Json::array();
  for (const auto& theme : snapshot()->catalogue.taxonomy().themes()) items.push_back(datasets::Encode(theme));
  return JsonResponse(200, {{"items", items}, {"total", items.size()}});
}

}  // namespace expectmatch::api
