// The HTTP service: one route table, authentication and rate limiting, and one thin handler
// per route over plain HttpRequest/HttpResponse values.
//
// The route table (service.cc) maps method + path pattern to a handler and to the roles that
// may call it; Handle authenticates the bearer key first (401 without a valid one, 403 outside
// the route's roles). A handler decodes its input, calls one use case of the transport-free
// service library (expectmatch/service/) and encodes the result; the use case's Status becomes
// a problem document in one place (ProblemFrom). An unexpected exception becomes a 500 problem
// (logged), never a crash. Thread-safe: Handle may run on many threads at once.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "expectmatch/api/http.h"
#include "expectmatch/service/collectivites.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/service/label_applications.h"
#include "expectmatch/service/live_snapshot.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/outbox.h"
#include "expectmatch/service/plans.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/proposals.h"
#include "expectmatch/service/ranking_log.h"
#include "expectmatch/service/reports.h"
#include "expectmatch/service/report_search.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/service/understanding.h"
#include "expectmatch/store/store.h"

namespace expectmatch::api {

using service::Principal;
using service::RankingLog;
using service::Role;
using service::Snapshot;

using PathParams = std::map<std::string, std::string>;

// What a handler receives: the request, the path parameters and the authenticated caller
// (null on open routes).
struct Call {
  const HttpRequest& request;
  const PathParams& params;
  const Principal* principal;
};

struct ServiceOptions {
  // How often the background thread checks the store for changed data; zero disables the
  // thread (call Refresh() yourself).
  std::chrono::milliseconds refresh_interval{250};
  // Per-key rate limit (token bucket, see expectmatch/api/rate_limit.h): requests a second a key may
  // make on average, and how many at once; 0 turns it off. Over the limit: 429 with
  // Retry-After.
  double rate_limit_per_second = 0;
  double rate_limit_burst = 0;
  // Requests to a protected route without a valid key (none, malformed, unknown, revoked), per
  // client address: each costs a hash and a lookup. When an address has used its tokens, its
  // requests to protected routes get 429 with Retry-After before any hash or lookup, valid key
  // or not, until a token is back; 0 turns it off.
  double unauthenticated_rate_limit_per_second = 0;
  double unauthenticated_rate_limit_burst = 0;
  // Where mission report documents are kept (serve: `documents/` next to the database); empty:
  // uploads fail.
  std::filesystem::path documents_dir = {};
  // The address "daect" outbox messages go to (serve --daect-email), shown by GET /v1/outbox;
  // empty: none configured.
  std::string daect_email = {};
  // How many years a label granted by an approved application lasts by default (serve
  // --label-validity-years).
  int label_validity_years = 3;
};

class RateLimiter;

class Service {
 public:
  // `log` may be null (no feature logging); it must outlive the service otherwise.
  Service(store::Store& store, std::shared_ptr<const Snapshot> snapshot, RankingLog* log = nullptr,
          ServiceOptions options = {});
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  HttpResponse Handle(const HttpRequest& request) const;

  // The snapshot requests currently use (a request keeps the one it started with).
  std::shared_ptr<const Snapshot> snapshot() const { return snapshots_.current(); }
  // Rebuilds the snapshot when the store's data changed since the current one was built;
  // true when it did. Serialised; safe from any thread.
  bool Refresh() const { return snapshots_.Refresh(); }

  // Handlers, one per route (the table is in service.cc).
  HttpResponse GetHealthz(const Call& call) const;
  HttpResponse GetOpenApi(const Call& call) const;
  HttpResponse GetWhoami(const Call& call) const;
  HttpResponse GetThemes(const Call& call) const;
  HttpResponse PostMatch(const Call& call) const;
  // Needs and their lifecycle (needs_handlers.cc).
  HttpResponse GetNeeds(const Call& call) const;
  HttpResponse GetNeed(const Call& call) const;
  HttpResponse PostNeed(const Call& call) const;
  HttpResponse PatchNeed(const Call& call) const;
  HttpResponse PostDecision(const Call& call) const;
  HttpResponse PutMission(const Call& call) const;
  HttpResponse GetOverdueReports(const Call& call) const;
  // Partners recognised by name, themes suggested from text (understanding_handlers.cc).
  HttpResponse GetPartners(const Call& call) const;
  HttpResponse GetPartner(const Call& call) const;
  HttpResponse PostPartnerAlias(const Call& call) const;
  HttpResponse PostPartnerMerge(const Call& call) const;
  HttpResponse PostThemesSuggest(const Call& call) const;
  // Authorities and profiles (catalogue_handlers.cc).
  HttpResponse GetCollectivites(const Call& call) const;
  HttpResponse GetCollectivite(const Call& call) const;
  HttpResponse PutCollectivite(const Call& call) const;
  HttpResponse GetProfiles(const Call& call) const;
  HttpResponse GetProfile(const Call& call) const;
  HttpResponse PutProfile(const Call& call) const;
  // Batch assignment plans (assignment_handlers.cc).
  HttpResponse PostAssignments(const Call& call) const;
  HttpResponse GetAssignment(const Call& call) const;
  HttpResponse PostAssignmentAccept(const Call& call) const;
  // Proposals of needs to authorities and their answers (proposal_handlers.cc).
  HttpResponse PostNeedProposal(const Call& call) const;
  HttpResponse GetNeedProposals(const Call& call) const;
  HttpResponse GetProposals(const Call& call) const;
  HttpResponse GetProposal(const Call& call) const;
  HttpResponse PostProposalAccept(const Call& call) const;
  HttpResponse PostProposalDecline(const Call& call) const;
  HttpResponse PostProposalWithdraw(const Call& call) const;
  HttpResponse GetMissions(const Call& call) const;
  // The proposals use case, for the service's periodic chores (expiry).
  const service::Proposals& proposals() const { return proposals_; }
  // Mission reports: the document (streamed), the summary and ratings, the CSV export
  // (report_handlers.cc).
  HttpResponse PutReportDocument(const Call& call) const;
  HttpResponse GetReportDocument(const Call& call) const;
  HttpResponse PutReport(const Call& call) const;
  HttpResponse GetReport(const Call& call) const;
  HttpResponse GetReportsExport(const Call& call) const;
  // Capitalisation: search over mission reports, and those related to a need
  // (report_search_handlers.cc).
  HttpResponse GetReports(const Call& call) const;
  HttpResponse GetNeedRelatedReports(const Call& call) const;
  // The e-mail outbox (outbox_handlers.cc).
  HttpResponse GetOutbox(const Call& call) const;
  // Label applications, the label history, expiring labels (label_application_handlers.cc).
  HttpResponse PostLabelApplication(const Call& call) const;
  HttpResponse GetLabelApplications(const Call& call) const;
  HttpResponse GetLabelApplication(const Call& call) const;
  HttpResponse PostLabelApplicationReview(const Call& call) const;
  HttpResponse PostLabelApplicationDecision(const Call& call) const;
  HttpResponse PostLabelApplicationAnswer(const Call& call) const;
  HttpResponse PostLabelApplicationDocument(const Call& call) const;
  HttpResponse GetLabelApplicationDocument(const Call& call) const;
  HttpResponse GetLabelHistory(const Call& call) const;
  HttpResponse GetExpiringLabels(const Call& call) const;
  HttpResponse GetLabelsExport(const Call& call) const;

 private:
  std::optional<Principal> Authenticate(const HttpRequest& request) const;

  store::Store& store_;
  RankingLog* log_;
  ServiceOptions options_;
  service::LiveSnapshot snapshots_;
  service::ProfileResolver profiles_;
  service::Needs needs_;
  service::Collectivites collectivites_;
  service::Partners partners_;
  service::Plans plans_;
  service::Proposals proposals_;
  service::Reports reports_;
  service::ReportSearch report_search_{store_, snapshots_};
  service::Outbox outbox_;
  service::LabelApplications label_applications_{store_, snapshots_, options_.documents_dir,
                                                 options_.label_validity_years};
  std::unique_ptr<RateLimiter> limiter_;                  // null: no rate limit
  std::unique_ptr<RateLimiter> unauthenticated_limiter_;  // by address; null: none
};

}  // namespace expectmatch::api
