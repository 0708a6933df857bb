#include "expectmatch/api/service.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <vector>

#include "expectmatch/api/openapi.h"
#include "expectmatch/api/problem.h"
#include "expectmatch/api/rate_limit.h"
#include "expectmatch/service/match.h"
#include "handler_util.h"

namespace expectmatch::api {
namespace internal {

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
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
  kCollectivite = 1u << 3,
  kReaders = kDaect | kAnalyst,
  kEveryone = kDaect | kAnalyst | kEmbassy,  // the staff and embassies, not the authorities
  kAllRoles = kEveryone | kCollectivite,
};

unsigned RoleBit(Role role) {
  switch (role) {
    case Role::kDaect:
      return kDaect;
    case Role::kAnalyst:
      return kAnalyst;
    case Role::kEmbassy:
      return kEmbassy;
    case Role::kCollectivite:
      return kCollectivite;
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
    {"GET", "/v1/whoami", &Service::GetWhoami, kAllRoles},
    {"GET", "/v1/themes", &Service::GetThemes, kAllRoles},
    {"POST", "/v1/themes/suggest", &Service::PostThemesSuggest, kEveryone},
    {"GET", "/v1/partners", &Service::GetPartners, kEveryone},
    {"GET", "/v1/partners/{id}", &Service::GetPartner, kEveryone},
    {"POST", "/v1/partners/{id}/aliases", &Service::PostPartnerAlias, kDaect},
    {"POST", "/v1/partners/{id}/merge", &Service::PostPartnerMerge, kDaect},
    {"POST", "/v1/match", &Service::PostMatch, kEveryone},
    {"GET", "/v1/needs", &Service::GetNeeds, kEveryone},
    {"POST", "/v1/needs", &Service::PostNeed, kDaect | kEmbassy},
    {"GET", "/v1/needs/{id}", &Service::GetNeed, kEveryone},
    {"PATCH", "/v1/needs/{id}", &Service::PatchNeed, kDaect},
    {"POST", "/v1/needs/{id}/decision", &Service::PostDecision, kDaect},
    {"PUT", "/v1/needs/{id}/mission", &Service::PutMission, kDaect | kCollectivite},
    {"GET", "/v1/missions", &Service::GetMissions, kReaders | kCollectivite},
    {"GET", "/v1/reports/overdue", &Service::GetOverdueReports, kReaders},
    {"GET", "/v1/reports", &Service::GetReports, kReaders},
    {"GET", "/v1/needs/{id}/related-reports", &Service::GetNeedRelatedReports, kEveryone},
    {"GET", "/v1/collectivites", &Service::GetCollectivites, kReaders},
    {"GET", "/v1/collectivites/{id}", &Service::GetCollectivite, kReaders | kCollectivite},
    {"PUT", "/v1/collectivites/{id}", &Service::PutCollectivite, kDaect},
    {"GET", "/v1/profiles", &Service::GetProfiles, kReaders},
    {"GET", "/v1/profiles/{name}", &Service::GetProfile, kReaders},
    {"PUT", "/v1/profiles/{name}", &Service::PutProfile, kReaders},
    {"POST", "/v1/assignments", &Service::PostAssignments, kDaect},
    {"GET", "/v1/assignments/{id}", &Service::GetAssignment, kDaect},
    {"POST", "/v1/assignments/{id}/accept", &Service::PostAssignmentAccept, kDaect},
    {"POST", "/v1/needs/{id}/proposals", &Service::PostNeedProposal, kDaect},
    {"GET", "/v1/needs/{id}/proposals", &Service::GetNeedProposals, kReaders},
    {"GET", "/v1/proposals", &Service::GetProposals, kReaders | kCollectivite},
    {"GET", "/v1/proposals/{id}", &Service::GetProposal, kReaders | kCollectivite},
    {"POST", "/v1/proposals/{id}/accept", &Service::PostProposalAccept, kDaect | kCollectivite},
    {"POST", "/v1/proposals/{id}/decline", &Service::PostProposalDecline, kDaect | kCollectivite},
    {"POST", "/v1/proposals/{id}/withdraw", &Service::PostProposalWithdraw, kDaect},
    {"PUT", "/v1/needs/{id}/report/document", &Service::PutReportDocument, kDaect | kCollectivite},
    {"GET", "/v1/needs/{id}/report/document", &Service::GetReportDocument,
     kReaders | kCollectivite},
    {"PUT", "/v1/needs/{id}/report", &Service::PutReport, kDaect | kCollectivite},
    {"GET", "/v1/needs/{id}/report", &Service::GetReport, kReaders | kCollectivite},
    {"GET", "/v1/reports/export.csv", &Service::GetReportsExport, kReaders},
    {"GET", "/v1/outbox", &Service::GetOutbox, kDaect},
    {"POST", "/v1/label-applications", &Service::PostLabelApplication, kDaect | kCollectivite},
    {"GET", "/v1/label-applications", &Service::GetLabelApplications, kReaders | kCollectivite},
    {"GET", "/v1/label-applications/{id}", &Service::GetLabelApplication,
     kReaders | kCollectivite},
    {"POST", "/v1/label-applications/{id}/review", &Service::PostLabelApplicationReview, kDaect},
    {"POST", "/v1/label-applications/{id}/decision", &Service::PostLabelApplicationDecision,
     kDaect},
    {"POST", "/v1/label-applications/{id}/answer", &Service::PostLabelApplicationAnswer,
     kDaect | kCollectivite},
    {"POST", "/v1/label-applications/{id}/documents", &Service::PostLabelApplicationDocument,
     kDaect | kCollectivite},
    {"GET", "/v1/label-applications/{id}/documents/{sha256}",
     &Service::GetLabelApplicationDocument, kReaders | kCollectivite},
    {"GET", "/v1/collectivites/{id}/labels/history", &Service::GetLabelHistory,
     kReaders | kCollectivite},
    {"GET", "/v1/labels/expiring", &Service::GetExpiringLabels, kReaders | kCollectivite},
    {"GET", "/v1/labels/export.csv", &Service::GetLabelsExport, kReaders},
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

Service::Service(store::Store& store, std::shared_ptr<const Snapshot> snapshot, RankingLog* log,
                 ServiceOptions options)
    : store_(store),
      log_(log),
      options_(options),
      snapshots_(store, std::move(snapshot), options.refresh_interval),
      profiles_(&store),
      needs_(store, snapshots_),
      collectivites_(store, snapshots_),
      partners_(store, snapshots_),
      plans_(store, snapshots_, profiles_),
      proposals_(store, snapshots_, profiles_),
      reports_(store, snapshots_, options.documents_dir),
      outbox_(store, options.daect_email) {
  if (options_.rate_limit_per_second > 0) {
    limiter_ = std::make_unique<RateLimiter>(options_.rate_limit_per_second,
                                             std::max(1.0, options_.rate_limit_burst));
  }
  if (options_.unauthenticated_rate_limit_per_second > 0) {
    unauthenticated_limiter_ =
        std::make_unique<RateLimiter>(options_.unauthenticated_rate_limit_per_second,
                                      std::max(1.0, options_.unauthenticated_rate_limit_burst));
  }
}

Service::~Service() = default;

std::optional<Principal> Service::Authenticate(const HttpRequest& request) const {
  return service::Authenticate(store_, request.Header("authorization"));
}

HttpResponse Service::Handle(const HttpRequest& request) const {
  std::string allowed;
  for (const Route& route : kRoutes) {
    PathParams params;
    if (!MatchPattern(route.pattern, request.path, &params)) continue;
    if (request.method != route.method &&
        !(request.method == "HEAD" && std::string(route.method) == "GET")) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(route.method);
      continue;
    }
    HttpResponse response;
    std::optional<Principal> principal;
    try {
      // An address that made too many requests without a valid key waits, before any hash.
      std::optional<double> unauthenticated_wait;
      if (route.access != kOpen && unauthenticated_limiter_)
        unauthenticated_wait = unauthenticated_limiter_->Wait(request.remote_addr);
      if (route.access != kOpen && !unauthenticated_wait) {
        principal = Authenticate(request);
        if (!principal && unauthenticated_limiter_)
          unauthenticated_wait = unauthenticated_limiter_->Take(request.remote_addr);
      }
      if (unauthenticated_wait) {
        response =
            Problem(429, "too many requests without a valid key from this address; retry later",
                    {{"", "Authorization",
                      "at most " + FormatRate(options_.unauthenticated_rate_limit_per_second) +
                          " requests a second on average without a valid key"}});
        response.headers["Retry-After"] =
            std::to_string(static_cast<long long>(std::ceil(*unauthenticated_wait)));
      } else if (route.access != kOpen && !principal) {
        response = Problem(401, "a valid API key is required (Authorization: Bearer <key>)",
                           {{"", "Authorization", "missing, malformed, unknown or revoked key"}});
        response.headers["WWW-Authenticate"] = "Bearer realm=\"expectmatch\"";
      } else if (principal && !(route.access & RoleBit(principal->role))) {
        response = Problem(403, "the " + std::string(service::RoleName(principal->role)) +
                                    " role may not " + request.method + " " + route.pattern);
      } else if (std::optional<double> wait =
                     principal && limiter_ ? limiter_->Take(principal->key_id) : std::nullopt) {
        response = Problem(429, "this key made too many requests; retry later",
                           {{"", "Authorization",
                             "at most " + FormatRate(options_.rate_limit_per_second) +
                                 " requests a second on average for this key"}});
        response.headers["Retry-After"] = std::to_string(static_cast<long long>(std::ceil(*wait)));
      } else {
        response = (this->*route.handler)(Call{request, params, principal ? &*principal : nullptr});
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "error: %s %s: %s\n", request.method.c_str(), request.path.c_str(),
                   e.what());
      response = Problem(500, "internal error; the request was not applied");
    }
    response.route = route.pattern;
    if (principal) {
      response.log_fields["role"] = std::string(service::RoleName(principal->role));
      response.log_fields["key_id"] = principal->key_id;
      if (!principal->country.empty()) response.log_fields["country"] = principal->country;
      if (!principal->collectivite.empty())
        response.log_fields["collectivite"] = principal->collectivite;
    }
    return response;
  }
  if (!allowed.empty()) {
    HttpResponse response =
        Problem(405, "method " + request.method + " is not allowed on " + request.path);
    response.headers["Allow"] = allowed;
    return response;
  }
  return Problem(404, "no such resource: " + request.path,
                 {{"", "path", "no route matches this path"}});
}

HttpResponse Service::GetHealthz(const Call&) const {
  auto snap = snapshot();
  return JsonResponse(200, {{"status", "ok"},
                            {"collectivites", snap->catalogue.collectivites().size()},
                            {"needs", snap->catalogue.needs().size()},
                            {"schema_version", store_.SchemaVersion()}});
}

HttpResponse Service::GetWhoami(const Call& call) const {
  Json body{{"key_id", call.principal->key_id}, {"role", service::RoleName(call.principal->role)}};
  if (call.principal->role == Role::kEmbassy) body["country"] = call.principal->country;
  if (call.principal->role == Role::kCollectivite)
    body["collectivite"] = call.principal->collectivite;
  return JsonResponse(200, body);
}

HttpResponse Service::GetOpenApi(const Call&) const {
  HttpResponse response;
  response.body = std::string(OpenApiDocument());
  return response;
}

HttpResponse Service::GetThemes(const Call&) const {
  Json items = Json::array();
  for (const auto& theme : snapshot()->catalogue.taxonomy().themes())
    items.push_back(datasets::Encode(theme));
  return JsonResponse(200, {{"items", items}, {"total", items.size()}});
}

HttpResponse Service::PostMatch(const Call& call) const {
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  service::MatchAnswer answer;
  service::Status status =
      service::AnswerMatch({snapshot(), &profiles_, &store_}, log_, body, call.principal, &answer);
  if (!status.ok()) return ProblemFrom(status);
  HttpResponse out;
  out.body = std::move(answer.body);
  out.headers["X-Request-Id"] = answer.request_id;
  return out;
}

}  // namespace expectmatch::api
