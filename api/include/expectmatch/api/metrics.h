// Operational metrics in the Prometheus text exposition format (version 0.0.4), served by the
// transport at GET /metrics.
//
// HttpMetrics counts requests by (method, route pattern, status) and records their duration in
// a histogram by (method, route pattern). Labels are bounded: the route is the matched pattern
// ("/v1/needs/{id}", "unmatched" when none matched), never the raw path, and unknown methods
// are folded into "OTHER". Other values (catalogue size, snapshot age, ...) are sampled when
// /metrics is scraped, from a provider the caller supplies. Thread-safe; Observe takes no
// lock and, once a series exists, allocates nothing (a hash, a probe, two atomic additions).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
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
  // One series: (method, route, status) with its duration buckets. The request counter and the
  // histogram's count are both the sum of its buckets, so one scrape always sees them agree.
  struct Series {
    Series(std::string_view m, std::string_view r, int s) : method(m), route(r), status(s) {}
    const std::string method, route;
    const int status;
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> counts{};  // last: +Inf
    std::atomic<double> sum{0};
  };
  // The series are found in a fixed open-addressing table whose slots are filled once (by a
  // compare-and-swap) and never emptied: Observe takes no lock and allocates only for a series
  // never seen. Labels are bounded (route patterns, known methods, statuses), so the table
  // does not fill; if it ever did, the rest would go to `overflow_`, under a mutex.
  static constexpr size_t kSlots = 4096;
  Series* Find(std::string_view method, std::string_view route, int status);
  std::unique_ptr<std::atomic<Series*>[]> slots_ { new std::atomic<Series*>[ kSlots ]() };
  mutable std::mutex overflow_mutex_;
  std::vector<std::unique_ptr<Series>> overflow_;
  std::atomic<int64_t> in_flight_{0};

 public:
  HttpMetrics() = default;
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;
  ~HttpMetrics();
};

// Prometheus exposition helpers (exposed for tests): a label value escaped (\\, \", \n) and a
// sample value (shortest round-trip decimal, "+Inf", "-Inf", "NaN").
std::string EscapeLabelValue(std::string_view value);
std::string FormatSampleValue(double value);

}  // namespace expectmatch::api
