// Operations: /metrics, the JSON access log and the graceful stop on SIGTERM (serve's
// configuration: serve_config_test.cc).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

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

#include "expectmatch/service/keys.h"
#include "expectmatch/api/http_server.h"
#include "expectmatch/api/metrics.h"
#include "expectmatch/api/service.h"
#include "expectmatch/store/store.h"
#include "prometheus_text.h"
#include "server_process.h"
#include "testutil.h"

// After Eigen (through the headers above): httplib.h brings <resolv.h>, whose `_res` macro
// breaks Eigen's headers when they come later.
#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;
using testing::Exposition;
using testing::Sample;
using testing::ParseExposition;
using Clock = std::chrono::steady_clock;

// Polls `done` every 5 ms for at most `limit`; true when it held.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST(MetricsText, EscapesLabelValuesAndFormatsNumbers) {
  EXPECT_EQ(api::EscapeLabelValue(R"(a"b\c)" "\n"), R"(a\"b\\c\n)");
  EXPECT_EQ(api::FormatSampleValue(0.0001), "0.0001");
  EXPECT_EQ(api::FormatSampleValue(2.5), "2.5");
  EXPECT_EQ(api::FormatSampleValue(1), "1");
  EXPECT_EQ(api::FormatSampleValue(0), "0");
  EXPECT_EQ(api::FormatSampleValue(HUGE_VAL), "+Inf");
  EXPECT_EQ(api::HttpMetrics::MethodLabel("BREW"), "OTHER");
}

TEST(MetricsText, HistogramIsCumulativeWithTheRightBuckets) {
  api::HttpMetrics metrics;
  metrics.Observe("GET", "/healthz", 200, 0.00005);  // first bucket
  metrics.Observe("GET", "/healthz", 200, 0.0003);   // le=0.0005
  metrics.Observe("GET", "/healthz", 503, 3.0);      // only +Inf
  metrics.Observe("GET", "", 404, 0.001);            // exactly on a bound: le=0.001, route unmatched
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
  EXPECT_NEAR(parsed.Value("expectmatch_http_request_duration_seconds_sum", healthz), 3.00035, 1e-12);
  EXPECT_EQ(parsed.Value("expectmatch_http_requests_total", {{"route", "/healthz"}, {"status", "503"}}), 1);
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
    scratch_ = new testing::ScratchDir();
    store_ = new store::Store(scratch_->path() / "ops.db");
    auto snapshot = service::OpenSnapshot(*store_, testing::TestData("tiny"));
    daect_ = new service::NewKey(service::CreateApiKey(*store_, service::Role::kDaect, "", "operations tests"));
    log_ = new service::RankingLog(*store_);
    api::ServiceOptions service_options;
    service_options.refresh_interval = std::chrono::milliseconds(0);
    service_ = new api::Service(*store_, snapshot, log_, service_options);
    api::ServerOptions options;
    options.port = 0;
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
           static_cast<double>(service_->snapshot()->catalogue.size())},
          {"expectmatch_ranking_log_dropped_total", "Dropped rows.", api::ScalarMetric::Kind::kCounter,
           static_cast<double>(log_->dropped())}};
    };
    server_ = new api::HttpServer(*service_, options);
    std::string error;
    ASSERT_TRUE(server_->Bind(&error)) << error;
    thread_ = new std::thread([] { server_->Run(); });
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete service_;
    delete log_;
    delete daect_;
    delete store_;
    delete scratch_;
  }

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
  static double Requests(const std::string& method, const std::string& route, const std::string& status) {
    double value = Scrape().Value("expectmatch_http_requests_total", {{"method", method}, {"route", route}, {"status", status}});
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

  static inline testing::ScratchDir* scratch_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline service::NewKey* daect_ = nullptr;
  static inline service::RankingLog* log_ = nullptr;
  static inline api::Service* service_ = nullptr;
  static inline api::HttpServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
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
  ASSERT_TRUE(Client(Bearer()).Post("/v1/match", R"({"need_id": "n1", "k": 2})", "application/json"));
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
  auto match = Client(Bearer()).Post("/v1/match", R"({"need_id": "n1", "k": 1})", "application/json");
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

  std::vector<Json> matches = LogLinesFor("/v1/match");
  ASSERT_FALSE(matches.empty());
  const Json* served = nullptr;
  for (const Json& m : matches) {
    if (m.value("request_id", "") == match->get_header_value("X-Request-Id")) served = &m;
  }
  ASSERT_NE(served, nullptr) << "no line carries X-Request-Id " << match->get_header_value("X-Request-Id");
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
  auto big = Client(Bearer()).Post("/v1/match", std::string((1 << 20) + 10, ' '), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_TRUE(WaitFor([&] { return Requests("POST", "unmatched", "413") == before + 1; }));
  std::vector<Json> lines = LogLinesFor("/v1/match");
  bool found = false;
  for (const Json& line : lines) found = found || (line["status"] == 413 && line["route"] == "unmatched");
  EXPECT_TRUE(found);
}

// ---------------------------------------------------------------------------------------------
// Graceful stop, in process.

// A server on its own store, for tests that stop it.
struct StoppableServer {
  explicit StoppableServer(int keep_alive_seconds) {
    store = std::make_unique<store::Store>(scratch.path() / "stop.db");
    auto snapshot = service::OpenSnapshot(*store, testing::TestData("tiny"));
    key = service::CreateApiKey(*store, service::Role::kDaect, "", "stop tests").secret;
    log = std::make_unique<service::RankingLog>(*store);
    api::ServiceOptions service_options;
    service_options.refresh_interval = std::chrono::milliseconds(0);
    service = std::make_unique<api::Service>(*store, snapshot, log.get(), service_options);
    api::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.keep_alive_timeout_seconds = keep_alive_seconds;
    server = std::make_unique<api::HttpServer>(*service, options);
    std::string error;
    bound = server->Bind(&error);
    EXPECT_TRUE(bound) << error;
    if (bound) {
      thread = std::thread([this] {
        server->Run();
        returned = true;
      });
    }
  }
  ~StoppableServer() {
    server->Stop();
    if (thread.joinable()) thread.join();
  }
  double InFlight() const {
    return ParseExposition(server->metrics().Render()).Value("expectmatch_http_requests_in_flight");
  }

  testing::ScratchDir scratch;
  std::unique_ptr<store::Store> store;
  std::string key;
  std::unique_ptr<service::RankingLog> log;
  std::unique_ptr<api::Service> service;
  std::unique_ptr<api::HttpServer> server;
  bool bound = false;
  std::thread thread;
  std::atomic<bool> returned{false};
};

// A raw TCP connection to 127.0.0.1:port (-1 on failure), with a 10 s receive timeout.
int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string ReceiveUntilClosed(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

TEST(GracefulStop, LetsTheRequestInProgressFinish) {
  StoppableServer s(5);
  ASSERT_TRUE(s.bound);
  // A match whose body arrives in two parts: the request is in progress between them.
  const std::string body = R"({"need_id": "n1", "k": 2})";
  int fd = Connect(s.server->port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, "POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.key +
                              "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
  ASSERT_TRUE(WaitFor([&] { return s.InFlight() == 1; }));

  std::thread stopper([&] { s.server->Stop(); });
  stopper.join();  // Stop returns at once; Run waits for the request
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(s.returned) << "Run returned while a request was in progress";
  // New connections are refused once stopped.
  int late = Connect(s.server->port());
  EXPECT_LT(late, 0);
  if (late >= 0) close(late);

  ASSERT_TRUE(SendAll(fd, body.substr(10)));
  std::string response = ReceiveUntilClosed(fd);
  close(fd);
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response.substr(0, 200);
  EXPECT_NE(response.find("\"candidates\""), std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return s.returned.load(); }, std::chrono::milliseconds(3000)));
  s.log->Flush();
  EXPECT_EQ(s.store->RankingLogSize(), 1u);
}

TEST(GracefulStop, ClosesAnIdleKeepAliveConnectionWithinItsTimeout) {
  StoppableServer s(1);
  ASSERT_TRUE(s.bound);
  httplib::Client client("127.0.0.1", s.server->port());
  client.set_keep_alive(true);
  client.set_read_timeout(10, 0);
  auto first = client.Get("/healthz");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  // The connection is now idle, held open by the client.
  const auto start = Clock::now();
  s.server->Stop();
  EXPECT_TRUE(WaitFor([&] { return s.returned.load(); }, std::chrono::milliseconds(4000)));
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(3000));
}

TEST(GracefulStop, StopBeforeRunMakesRunReturnAtOnce) {
  testing::ScratchDir scratch;
  store::Store store(scratch.path() / "early.db");
  api::Service service(store, service::OpenSnapshot(store, testing::TestData("tiny")), nullptr, {std::chrono::milliseconds(0)});
  api::ServerOptions options;
  options.port = 0;
  api::HttpServer server(service, options);
  std::string error;
  ASSERT_TRUE(server.Bind(&error)) << error;
  server.Stop();
  server.Stop();  // idempotent
  const auto start = Clock::now();
  server.Run();
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
}

// ---------------------------------------------------------------------------------------------
// The real binary.

TEST(ServeBinary, StopsOnSigtermWithAnIdleKeepAliveClientAndFlushesTheRankingLog) {
  testing::ScratchDir scratch;
  const std::filesystem::path db = scratch.path() / "serve.db";
  std::string secret;
  {
    store::Store store(db);
    secret = service::CreateApiKey(store, service::Role::kDaect, "", "sigterm test").secret;
  }
  const std::filesystem::path err = scratch.path() / "stderr.txt";
  // An idle keep-alive connection holds its worker until its keep-alive timeout (httplib
  // does not interrupt it), so that timeout bounds the stop.
  testing::ServerProcess child({"--db", db.string(), "--data", testing::TestData("tiny").string(), "--keep-alive-timeout", "2"}, err);
  ASSERT_GT(child.port(), 0) << testing::ReadFile(err);

  httplib::Client client("127.0.0.1", child.port());
  client.set_keep_alive(true);
  client.set_read_timeout(10, 0);
  client.set_default_headers({{"Authorization", "Bearer " + secret}});
  auto match = client.Post("/v1/match", R"({"need_id": "n1", "k": 2})", "application/json");
  ASSERT_TRUE(match);
  ASSERT_EQ(match->status, 200) << match->body;
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  Exposition parsed = ParseExposition(metrics->body);
  EXPECT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  EXPECT_EQ(parsed.Value("expectmatch_catalogue_collectivites"), 7);
  EXPECT_GE(parsed.Value("expectmatch_snapshot_age_seconds"), 0);
  EXPECT_EQ(parsed.Value("expectmatch_ranking_log_dropped_total"), 0);
  EXPECT_EQ(parsed.Value("expectmatch_http_requests_total", {{"route", "/v1/match"}, {"status", "200"}}), 1);

  // The client keeps its connection open, idle; SIGTERM must still end the process soon.
  const auto start = Clock::now();
  child.Kill(SIGTERM);
  std::optional<int> status = child.Wait(std::chrono::milliseconds(10000));
  ASSERT_TRUE(status) << "still running 10 s after SIGTERM";
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(6000));
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);

  // The served ranking was written, and the access log was JSON lines on stderr.
  store::Store store(db);
  EXPECT_EQ(store.RankingLogSize(), 1u);
  const std::string log = testing::ReadFile(err);
  EXPECT_NE(log.find("SIGTERM"), std::string::npos) << log;
  EXPECT_NE(log.find("expectmatch arrêté"), std::string::npos) << log;
  bool found = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    Json entry = Json::parse(line);
    if (entry["route"] == "/v1/match") {
      found = true;
      EXPECT_EQ(entry["request_id"], match->get_header_value("X-Request-Id"));
      EXPECT_EQ(entry["role"], "daect");
    }
  }
  EXPECT_TRUE(found) << log;
  EXPECT_EQ(log.find(secret), std::string::npos);
}

}  // namespace
}  // namespace expectmatch
