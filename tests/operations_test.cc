// Operations: /metrics and the JSON access log, on a server in this process (its graceful stop:
// graceful_stop_test.cc; the binary on SIGTERM: serve_binary_test.cc; serve's configuration:
// serve_configuration_test.cc).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "expectmatch/api/http_server.h"
#include "expectmatch/api/metrics.h"
#include "expectmatch/api/service.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/store/store.h"
#include "live_server.h"
#include "prometheus_text.h"
#include "testutil.h"

// After Eigen (through the headers above): httplib.h brings <resolv.h>, whose `_res` macro
// breaks Eigen's headers when they come later.
#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;
using testing::Exposition;
using testing::ParseExposition;
using testing::Sample;
using Clock = std::chrono::steady_clock;

using testing::WaitFor;

TEST(OperationsMetricsText, EscapesLabelValuesAndFormatsNumbers) {
  EXPECT_EQ(api::EscapeLabelValue(R"(a"b\c)"
                                  "\n"),
            R"(a\"b\\c\n)");
  EXPECT_EQ(api::FormatSampleValue(0.0001), "0.0001");
  EXPECT_EQ(api::FormatSampleValue(2.5), "2.5");
  EXPECT_EQ(api::FormatSampleValue(1), "1");
  EXPECT_EQ(api::FormatSampleValue(0), "0");
  EXPECT_EQ(api::FormatSampleValue(HUGE_VAL), "+Inf");
  EXPECT_EQ(api::HttpMetrics::MethodLabel("BREW"), "OTHER");
}

TEST(OperationsMetricsText, HistogramIsCumulativeWithTheRightBuckets) {
  api::HttpMetrics metrics;
  metrics.Observe("GET", "/healthz", 200, 0.00005);  // first bucket
  metrics.Observe("GET", "/healthz", 200, 0.0003);   // le=0.0005
  metrics.Observe("GET", "/healthz", 503, 3.0);      // only +Inf
  metrics.Observe("GET", "", 404, 0.001);  // exactly on a bound: le=0.001, route unmatched
  Exposition parsed = ParseExposition(metrics.Render());
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  const std::map<std::string, std::string> healthz = {{"method", "GET"}, {"route", "/healthz"}};
  auto bucket = [&](const std::string& le) {
    auto labels = healthz;
    labels["le"] = le;
    return parsed.Value("expectmatch_http_request_duration_seconds_bucket", labels);
  };
  EXPECT_EQ(bucket("0.0001"), 1);
  EXPECT_EQ(bucket("0.00025"), 1);
  EXPECT_EQ(bucket("0.0005"), 2);
  EXPECT_EQ(bucket("2.5"), 2);
  EXPECT_EQ(bucket("+Inf"), 3);
  EXPECT_EQ(parsed.Value("expectmatch_http_request_duration_seconds_count", healthz), 3);
  EXPECT_NEAR(parsed.Value("expectmatch_http_request_duration_seconds_sum", healthz), 3.00035,
              1e-12);
  EXPECT_EQ(
      parsed.Value("expectmatch_http_requests_total", {{"route", "/healthz"}, {"status", "503"}}),
      1);
  EXPECT_EQ(parsed.Value("expectmatch_http_request_duration_seconds_bucket",
                         {{"route", "unmatched"}, {"le", "0.001"}}),
            1);
  EXPECT_EQ(parsed.Value("expectmatch_http_request_duration_seconds_bucket",
                         {{"route", "unmatched"}, {"le", "0.0005"}}),
            0);
  EXPECT_EQ(parsed.types["expectmatch_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(parsed.types["expectmatch_http_requests_total"], "counter");
}

// ---------------------------------------------------------------------------------------------
// A live server in this process, with the access log captured.

class Operations : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    api::ServerOptions options;
    options.threads = 4;
    options.max_active_requests = 3;
    options.access_log = true;
    options.access_log_sink = [](const std::string& line) {
      std::lock_guard lock(lines_mutex_);
      lines_.push_back(line);
    };
    options.metrics = [] {
      return std::vector<api::ScalarMetric>{
          {"expectmatch_catalogue_collectivites", "Authorities.", api::ScalarMetric::Kind::kGauge,
           static_cast<double>(live_.load()->service->snapshot()->catalogue.size())},
          {"expectmatch_ranking_log_dropped_total", "Dropped rows.",
           api::ScalarMetric::Kind::kCounter, static_cast<double>(live_.load()->log->dropped())}};
    };
    live_ = new testing::InProcessServer(options);
    ASSERT_TRUE(live_.load()->bound);
    daect_ = &live_.load()->daect;
    server_ = live_.load()->server.get();
  }
  static void TearDownTestSuite() { delete live_.exchange(nullptr); }

  static httplib::Client Client(const std::string& authorization = "") {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(10, 0);
    if (!authorization.empty()) client.set_default_headers({{"Authorization", authorization}});
    return client;
  }
  static std::string Bearer() { return "Bearer " + daect_->secret; }

  static Exposition Scrape() {
    auto result = Client().Get("/metrics");
    if (!result || result->status != 200) return {};
    return ParseExposition(result->body);
  }
  // A counter of the HTTP requests, 0 when the series does not exist yet.
  static double Requests(const std::string& method, const std::string& route,
                         const std::string& status) {
    double value = Scrape().Value("expectmatch_http_requests_total",
                                  {{"method", method}, {"route", route}, {"status", status}});
    return value < 0 ? 0 : value;
  }
  // The access-log lines whose path is `path` (they are written just after the response, so
  // wait a little for them).
  static std::vector<Json> LogLinesFor(const std::string& path, size_t expected = 1) {
    std::vector<Json> found;
    WaitFor([&] {
      found.clear();
      std::lock_guard lock(lines_mutex_);
      for (const std::string& line : lines_) {
        Json parsed = Json::parse(line, nullptr, false);
        if (!parsed.is_discarded() && parsed.value("path", "") == path) found.push_back(parsed);
      }
      return found.size() >= expected;
    });
    return found;
  }
  static std::vector<std::string> AllLogLines() {
    std::lock_guard lock(lines_mutex_);
    return lines_;
  }

  // Atomic: the metrics callback reads it on a server thread, and the server is started (inside
  // the constructor) before the pointer is stored; requests reach that thread through a socket,
  // which orders nothing for the C++ memory model.
  static inline std::atomic<testing::InProcessServer*> live_{nullptr};
  static inline service::NewKey* daect_ = nullptr;
  static inline api::HttpServer* server_ = nullptr;
  static inline std::mutex lines_mutex_;
  static inline std::vector<std::string> lines_;
};

TEST_F(Operations, MetricsAreValidPrometheusText) {
  ASSERT_TRUE(Client().Get("/healthz"));
  auto result = Client().Get("/metrics");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u)
      << result->get_header_value("Content-Type");
  Exposition parsed = ParseExposition(result->body);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  EXPECT_EQ(parsed.types["expectmatch_http_requests_total"], "counter");
  EXPECT_EQ(parsed.types["expectmatch_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(parsed.types["expectmatch_http_requests_in_flight"], "gauge");
  EXPECT_EQ(parsed.types["expectmatch_catalogue_collectivites"], "gauge");
  EXPECT_EQ(parsed.types["expectmatch_ranking_log_dropped_total"], "counter");
  EXPECT_EQ(parsed.Value("expectmatch_catalogue_collectivites"), 7);
  EXPECT_EQ(parsed.Value("expectmatch_ranking_log_dropped_total"), 0);
  // The request gate (api/src/request_gate.h): the configured slots, nobody waiting when idle.
  EXPECT_EQ(parsed.types["expectmatch_http_request_slots"], "gauge");
  EXPECT_EQ(parsed.Value("expectmatch_http_request_slots"), 3);
  EXPECT_EQ(parsed.types["expectmatch_http_requests_waiting"], "gauge");
  EXPECT_EQ(parsed.Value("expectmatch_http_requests_waiting"), 0);
  // Only GET and HEAD.
  auto post = Client().Post("/metrics", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
}

TEST_F(Operations, CountsRequestsByRoutePatternAndStatus) {
  const double found_before = Requests("GET", "/v1/needs/{id}", "200");
  const double missing_before = Requests("GET", "/v1/needs/{id}", "404");
  const double unmatched_before = Requests("GET", "unmatched", "404");
  auto found = Client(Bearer()).Get("/v1/needs/n1");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->status, 200) << found->body;
  auto missing = Client(Bearer()).Get("/v1/needs/no-such-need");
  ASSERT_TRUE(missing);
  ASSERT_EQ(missing->status, 404) << missing->body;
  ASSERT_TRUE(Client().Get("/no/such/route"));
  // The counters move once the responses are written.
  EXPECT_TRUE(WaitFor([&] {
    return Requests("GET", "/v1/needs/{id}", "200") == found_before + 1 &&
           Requests("GET", "/v1/needs/{id}", "404") == missing_before + 1 &&
           Requests("GET", "unmatched", "404") == unmatched_before + 1;
  }));
  // Never the raw path as a label.
  Exposition parsed = Scrape();
  for (const Sample& sample : parsed.samples) {
    auto route = sample.labels.find("route");
    if (route == sample.labels.end()) continue;
    EXPECT_EQ(route->second.find("n1"), std::string::npos) << sample.name;
    EXPECT_EQ(route->second.find("no-such"), std::string::npos) << sample.name;
  }
}

TEST_F(Operations, HistogramBucketsAreCumulativeAndCountEqualsTheCounter) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Client(Bearer()).Get("/v1/themes"));
  ASSERT_TRUE(
      Client(Bearer()).Post("/v1/match", R"({"need_id": "n1", "k": 2})", "application/json"));
  ASSERT_TRUE(WaitFor([] { return Requests("POST", "/v1/match", "200") >= 1; }));
  Exposition parsed = Scrape();
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  // Group the histogram's series by (method, route).
  struct Series {
    std::vector<std::pair<double, double>> buckets;  // le, cumulative count
    double count = -1, sum = -1, requests = 0;
  };
  std::map<std::pair<std::string, std::string>, Series> series;
  for (const Sample& s : parsed.samples) {
    if (!s.labels.count("route")) continue;
    auto key = std::make_pair(s.labels.at("method"), s.labels.at("route"));
    if (s.name == "expectmatch_http_request_duration_seconds_bucket") {
      const std::string& le = s.labels.at("le");
      series[key].buckets.emplace_back(le == "+Inf" ? HUGE_VAL : std::stod(le), s.value);
    } else if (s.name == "expectmatch_http_request_duration_seconds_count") {
      series[key].count = s.value;
    } else if (s.name == "expectmatch_http_request_duration_seconds_sum") {
      series[key].sum = s.value;
    } else if (s.name == "expectmatch_http_requests_total") {
      series[key].requests += s.value;
    }
  }
  ASSERT_TRUE(series.count({"GET", "/v1/themes"}));
  ASSERT_TRUE(series.count({"POST", "/v1/match"}));
  for (const auto& [key, s] : series) {
    SCOPED_TRACE(key.first + " " + key.second);
    ASSERT_EQ(s.buckets.size(), api::HttpMetrics::kBuckets.size() + 1);
    for (size_t i = 1; i < s.buckets.size(); ++i) {
      EXPECT_LT(s.buckets[i - 1].first, s.buckets[i].first);    // bounds ascending
      EXPECT_LE(s.buckets[i - 1].second, s.buckets[i].second);  // counts cumulative
    }
    EXPECT_EQ(s.buckets.back().first, HUGE_VAL);
    EXPECT_EQ(s.buckets.back().second, s.count);
    EXPECT_EQ(s.count, s.requests);
    EXPECT_GE(s.sum, 0);
  }
  EXPECT_GE((series[{"GET", "/v1/themes"}].count), 3);
}

TEST_F(Operations, AccessLogIsOneJsonLinePerRequestWithoutSecrets) {
  // A rejected key and a secret in the query string: neither may reach the log.
  auto rejected = Client("Bearer secret123").Get("/v1/needs/n2?token=querysecret456");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 401);
  auto match =
      Client(Bearer()).Post("/v1/match", R"({"need_id": "n1", "k": 1})", "application/json");
  ASSERT_TRUE(match);
  ASSERT_EQ(match->status, 200) << match->body;

  std::vector<Json> lines = LogLinesFor("/v1/needs/n2");
  ASSERT_EQ(lines.size(), 1u);
  const Json& line = lines[0];
  EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
      << line["time"];
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["route"], "/v1/needs/{id}");
  EXPECT_EQ(line["path"], "/v1/needs/n2");
  EXPECT_EQ(line["status"], 401);
  EXPECT_TRUE(line["duration_ms"].is_number());
  EXPECT_GE(line["duration_ms"].get<double>(), 0);
  EXPECT_EQ(line["bytes"], rejected->body.size());
  EXPECT_EQ(line["remote"], "127.0.0.1");
  EXPECT_FALSE(line.contains("role"));  // nobody was authenticated

  // Earlier tests logged matches too, and lines are written a few milliseconds after their
  // response (access_log.h): wait for this request's line.
  std::vector<Json> matches;
  WaitFor([&] {
    matches = LogLinesFor("/v1/match", 0);
    for (const Json& m : matches) {
      if (m.value("request_id", "") == match->get_header_value("X-Request-Id")) return true;
    }
    return false;
  });
  ASSERT_FALSE(matches.empty());
  const Json* served = nullptr;
  for (const Json& m : matches) {
    if (m.value("request_id", "") == match->get_header_value("X-Request-Id")) served = &m;
  }
  ASSERT_NE(served, nullptr) << "no line carries X-Request-Id "
                             << match->get_header_value("X-Request-Id");
  EXPECT_EQ((*served)["route"], "/v1/match");
  EXPECT_EQ((*served)["status"], 200);
  EXPECT_EQ((*served)["role"], "daect");
  EXPECT_EQ((*served)["key_id"], daect_->id);
  EXPECT_EQ((*served)["bytes"], match->body.size());

  for (const std::string& text : AllLogLines()) {
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_EQ(text.find("secret123"), std::string::npos) << text;
    EXPECT_EQ(text.find("querysecret456"), std::string::npos) << text;
    EXPECT_EQ(text.find(daect_->secret), std::string::npos) << text;
    EXPECT_EQ(text.find("Bearer"), std::string::npos) << text;
    EXPECT_EQ(text.find("uthorization"), std::string::npos) << text;
  }
}

TEST_F(Operations, HttplibOwnErrorsAreCountedAndLogged) {
  // Over the 1 MiB body limit: refused before any handler runs, hence no route.
  const double before = Requests("POST", "unmatched", "413");
  auto big =
      Client(Bearer()).Post("/v1/match", std::string((1 << 20) + 10, ' '), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_TRUE(WaitFor([&] { return Requests("POST", "unmatched", "413") == before + 1; }));
  // The access log is written a few milliseconds after the response (access_log.h): wait for
  // this line, not for any line of an earlier match.
  bool found = WaitFor([&] {
    for (const Json& line : LogLinesFor("/v1/match", 0))
      if (line["status"] == 413 && line["route"] == "unmatched") return true;
    return false;
  });
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace expectmatch
