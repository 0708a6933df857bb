// Operational metrics in the Prometheus text exposition format (version 0.0.4), served by the
// transport at GET /metrics.
//
// HttpMetrics counts requests by (method, route pattern, status) and records their duration in
// a histogram by (method, route pattern). Labels are bounded: the route is the matched pattern
// ("/v1/needs/{id}", "unmatched" when none matched), never the raw path, and unknown methods
// are folded into "OTHER". Other values (catalogue size, snapshot age, ...) are sampled when
// /metrics is scraped, from a provider the caller supplies. Thread-safe; Observe takes one
// mutex for a map lookup and a few increments.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace expectmatch::api {

// One unlabelled value sampled at scrape time.
struct ScalarMetric {
  enum class Kind { kGauge, kCounter };
  std::string name;  // e.g. "expectmatch_catalogue_collectivites" (counters end in "_total")
  std::string help;
  Kind kind = Kind::kGauge;
  double value = 0;
};
// Called on every scrape, on the scraping request's thread (keep it cheap and thread-safe).
using ScalarMetricsProvider = std::function<std::vector<ScalarMetric>()>;

class HttpMetrics {
 public:
  // Upper bounds (seconds) of the duration histogram's buckets; +Inf is implicit.
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  // Records one request. An empty route is recorded as "unmatched".
  void Observe(std::string_view method, std::string_view route, int status, double seconds);
  // Requests being served right now (the transport brackets each request with these).
  void Begin();
  void End();

  // The exposition text: the HTTP metrics, then `extra` in the order given.
  std::string Render(const std::vector<ScalarMetric>& extra = {}) const;

  // The method label: the method itself when it is a standard one, "OTHER" otherwise.
  static std::string_view MethodLabel(std::string_view method);

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size() + 1> counts{};  // per bucket, not cumulative; last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  // Keys (method, route[, status]) looked up with string_views: no allocation once a series
  // exists.
  using RequestKey = std::tuple<std::string, std::string, int>;
  using RouteKey = std::pair<std::string, std::string>;
  struct KeyLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) < View(b);
    }
    static std::tuple<std::string_view, std::string_view, int> View(const RequestKey& key) {
      return {std::get<0>(key), std::get<1>(key), std::get<2>(key)};
    }
    static std::tuple<std::string_view, std::string_view, int> View(
        const std::tuple<std::string_view, std::string_view, int>& key) {
      return key;
    }
    static std::pair<std::string_view, std::string_view> View(const RouteKey& key) {
      return {key.first, key.second};
    }
    static std::pair<std::string_view, std::string_view> View(
        const std::pair<std::string_view, std::string_view>& key) {
      return key;
    }
  };
  mutable std::mutex mutex_;
  std::map<RequestKey, uint64_t, KeyLess> requests_;
  std::map<RouteKey, Histogram, KeyLess> durations_;
  std::atomic<int64_t> in_flight_{0};
};

// Prometheus exposition helpers (exposed for tests): a label value escaped (\\, \", \n) and a
// sample value (shortest round-trip decimal, "+Inf", "-Inf", "NaN").
std::string EscapeLabelValue(std::string_view value);
std::string FormatSampleValue(double value);

}  // namespace expectmatch::api
