// The HTTP service's routes and handlers, over plain HttpRequest/HttpResponse values.
//
// One route table (service.cc) maps method + path pattern to a handler and to the roles that
// may call it; Handle authenticates the bearer key first (401 without a valid one, 403 outside
// the route's roles; embassy keys are further scoped to their country by the handlers). A
// handler decodes its input, calls the engine or the store once and encodes the result. Client
// mistakes become 4xx problem documents naming the field; an unexpected exception becomes a
// 500 problem (logged), never a crash.
//
// Snapshots: the catalogue the engine ranks against is rebuilt from the store by a background
// thread whenever the store's data generation changes (writes by this service or by another
// process such as `expectmatch import`), and swapped in atomically; requests keep the snapshot
// they started with. Thread-safe: Handle may run on many threads at once.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "expectmatch/api/auth.h"
#include "expectmatch/api/http.h"
#include "expectmatch/api/ranking_log.h"
#include "expectmatch/api/snapshot.h"
#include "expectmatch/store/store.h"

namespace expectmatch::api {

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
  // Per-key rate limit (token bucket, see api/src/rate_limit.h): requests a second a key may
  // make on average, and how many at once; 0 turns it off. Over the limit: 429 with
  // Retry-After.
  double rate_limit_per_second = 0;
  double rate_limit_burst = 0;
};

namespace internal {
class RateLimiter;
}

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
  std::shared_ptr<const Snapshot> snapshot() const { return std::atomic_load(&snapshot_); }
  // Rebuilds the snapshot when the store's data changed since the current one was built;
  // true when it did. Serialised; safe from any thread.
  bool Refresh() const;

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

 private:
  using ProfileMap = std::map<std::string, matcher::Profile>;
  // Latest version of every profile, reloaded when profiles change.
  std::shared_ptr<const ProfileMap> profiles() const { return std::atomic_load(&profiles_); }
  void ReloadProfiles() const;
  // The profile `name` at `version` (from the store), or its latest version (cached); nullopt
  // when there is no such profile.
  std::optional<matcher::Profile> LookUpProfile(const std::string& name, std::optional<int> version) const;
  // Wakes the refresher (after a write) without waiting for it.
  void RequestRefresh() const;
  void RunRefresher();
  std::optional<Principal> Authenticate(const HttpRequest& request) const;

  store::Store& store_;
  mutable std::shared_ptr<const Snapshot> snapshot_;
  mutable std::shared_ptr<const ProfileMap> profiles_;
  RankingLog* log_;
  ServiceOptions options_;

  mutable std::mutex refresh_mutex_;  // serialises rebuilds
  mutable uint64_t snapshot_generation_ = 0;
  mutable std::mutex wake_mutex_;
  mutable std::condition_variable wake_;
  mutable bool wake_requested_ = false;
  bool stopping_ = false;
  std::thread refresher_;
  std::unique_ptr<internal::RateLimiter> limiter_;  // null: no rate limit
};

}  // namespace expectmatch::api
