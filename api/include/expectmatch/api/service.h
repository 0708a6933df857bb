// The HTTP service's routes and handlers, over plain HttpRequest/HttpResponse values.
//
// One route table (service.cc) maps method + path pattern to a handler; a handler decodes its
// input, calls the engine or the store once and encodes the result. Client mistakes become 4xx
// problem documents naming the field; an unexpected exception becomes a 500 problem (logged),
// never a crash. Thread-safe: Handle may run on many threads at once.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "expectmatch/api/http.h"
#include "expectmatch/api/ranking_log.h"
#include "expectmatch/api/snapshot.h"
#include "expectmatch/store/store.h"

namespace expectmatch::api {

using PathParams = std::map<std::string, std::string>;

class Service {
 public:
  // `log` may be null (no feature logging); it must outlive the service otherwise.
  Service(store::Store& store, std::shared_ptr<const Snapshot> snapshot, RankingLog* log = nullptr);

  HttpResponse Handle(const HttpRequest& request) const;

  // The snapshot requests currently use (a request keeps the one it started with).
  std::shared_ptr<const Snapshot> snapshot() const { return std::atomic_load(&snapshot_); }

  // Handlers, one per route (the table is in service.cc).
  HttpResponse GetHealthz(const HttpRequest& request, const PathParams& params) const;
  HttpResponse GetThemes(const HttpRequest& request, const PathParams& params) const;
  HttpResponse GetNeeds(const HttpRequest& request, const PathParams& params) const;
  HttpResponse GetNeed(const HttpRequest& request, const PathParams& params) const;
  HttpResponse PostMatch(const HttpRequest& request, const PathParams& params) const;
  HttpResponse GetProfiles(const HttpRequest& request, const PathParams& params) const;
  HttpResponse GetProfile(const HttpRequest& request, const PathParams& params) const;

 private:

  using ProfileMap = std::map<std::string, matcher::Profile>;
  // Latest version of every profile, reloaded when profiles change.
  std::shared_ptr<const ProfileMap> profiles() const { return std::atomic_load(&profiles_); }

  store::Store& store_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::shared_ptr<const ProfileMap> profiles_;
  RankingLog* log_;
};

}  // namespace expectmatch::api
