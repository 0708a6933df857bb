// The match endpoint's HTTP path without locks, allocations or copies where they need not be
// (bench/README.md, "Where a request's time goes"): the access-log line written by hand and
// queued per thread, the lock-free metrics, the answer's body moved to the socket and sent
// with its headers in one write.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "expectmatch/api/access_log.h"
#include "expectmatch/api/http_server.h"
#include "expectmatch/api/metrics.h"
#include "expectmatch/api/service.h"
#include "live_server.h"
#include "prometheus_text.h"
#include "testutil.h"

// After Eigen (through the headers above): httplib.h brings <resolv.h>, whose `_res` macro
// breaks Eigen's headers when they come later.
#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;

// The line as the transport wrote it before it was written by hand: nlohmann's ordered JSON.
std::string ReferenceLine(const api::AccessLogEntry& entry) {
  nlohmann::ordered_json line;
  const double whole = std::floor(entry.unix_time);
  std::time_t seconds = static_cast<std::time_t>(whole);
  int millis = std::min(999, static_cast<int>((entry.unix_time - whole) * 1000));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", millis);
  line["time"] = buffer;
  line["method"] = entry.method;
  line["route"] = entry.route.empty() ? std::string("unmatched") : entry.route;
  line["path"] = entry.path.size() > 512 ? entry.path.substr(0, 512) : entry.path;
  line["status"] = entry.status;
  line["duration_ms"] = std::round(entry.duration_ms * 1000) / 1000;
  line["bytes"] = entry.bytes;
  line["remote"] = entry.remote;
  if (!entry.request_id.empty()) line["request_id"] = entry.request_id;
  for (const auto& [name, value] : entry.fields) {
    if (!line.contains(name)) line[name] = value;
  }
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

TEST(TransportHotPath, AccessLogLineIsTheTextNlohmannWrote) {
  api::AccessLogEntry plain;
  plain.unix_time = 1772366400.125;  // 2026-03-01T12:00:00.125Z
  plain.method = "POST";
  plain.route = "/v1/match";
  plain.path = "/v1/match";
  plain.status = 200;
  plain.duration_ms = 2.4567891;
  plain.bytes = 15359;
  plain.remote = "127.0.0.1";
  plain.request_id = "72842b1f4d23efdc227be6ca8c353a90";
  plain.fields = {{"key_id", "k_35d84098"}, {"role", "daect"}};
  EXPECT_EQ(api::AccessLogLine(plain),
            R"({"time":"2026-03-01T12:00:00.125Z","method":"POST","route":"/v1/match",)"
            R"("path":"/v1/match","status":200,"duration_ms":2.457,"bytes":15359,)"
            R"("remote":"127.0.0.1","request_id":"72842b1f4d23efdc227be6ca8c353a90",)"
            R"("key_id":"k_35d84098","role":"daect"})");
  EXPECT_EQ(api::AccessLogLine(plain), ReferenceLine(plain));

  // Escapes, invalid UTF-8, a long path, an unmatched route, fields named like keys, and the
  // durations nlohmann writes in its own ways ("0.0", "2.0").
  std::vector<api::AccessLogEntry> entries;
  api::AccessLogEntry odd = plain;
  odd.route = "";
  odd.path = "/v1/needs/a\"b\\c\n\t\x01/\xc3\xa9t\xc3\xa9/\xff\xfe";
  odd.request_id = "";
  odd.fields = {{"request_id", "x"}, {"status", "999"}, {"country", "S\xc3\xa9n\xc3\xa9gal"}};
  entries.push_back(odd);
  api::AccessLogEntry long_path = plain;
  long_path.path = "/" + std::string(600, 'a');
  entries.push_back(long_path);
  for (double duration : {0.0, 0.0004, 0.0005, 0.001, 1.0, 2.0, 12.3456, 999.9999, 123456.789,
                          0.1 + 0.2, 1e9, 35.0}) {
    api::AccessLogEntry timed = plain;
    timed.duration_ms = duration;
    timed.unix_time = 1772366400.9999;
    entries.push_back(timed);
  }
  for (const auto& entry : entries) {
    const std::string line = api::AccessLogLine(entry);
    EXPECT_EQ(line, ReferenceLine(entry));
    EXPECT_FALSE(Json::parse(line, nullptr, false).is_discarded()) << line;
  }
  EXPECT_NE(api::AccessLogLine(odd).find(R"("route":"unmatched")"), std::string::npos);
  EXPECT_NE(api::AccessLogLine(entries[3]).find(R"("duration_ms":0.0,)"), std::string::npos);
  EXPECT_NE(api::AccessLogLine(entries[7]).find(R"("duration_ms":2.0,)"), std::string::npos);
  EXPECT_NE(api::AccessLogLine(entries[3]).find(R"("time":"2026-03-01T12:00:00.999Z")"),
            std::string::npos);
}

// Lines from several threads at once, through rings so small that they wrap and fill many
// times: every line arrives whole, exactly once, each thread's in its order.
TEST(TransportHotPath, AccessLogWriterDeliversEveryLineOfEveryThreadInOrder) {
  constexpr int kThreads = 8;
  constexpr int kLines = 3000;
  std::mutex mutex;
  std::vector<std::string> received;
  {
    api::internal::AccessLogWriter writer(
        -1,
        [&](const std::string& line) {
          std::lock_guard lock(mutex);
          received.push_back(line);
        },
        std::chrono::milliseconds(1), 4096);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < kLines; ++i) {
          // 60 to 160 bytes: the 4 KiB ring wraps mid-line.
          writer.Append("thread " + std::to_string(t) + " line " + std::to_string(i) + " " +
                        std::string(static_cast<size_t>(50 + (i * 7 + t) % 100), 'x'));
        }
      });
    }
    for (auto& thread : threads) thread.join();
    writer.Flush();
    EXPECT_EQ(writer.written(), static_cast<uint64_t>(kThreads * kLines));
  }  // the destructor writes nothing more: everything was flushed
  ASSERT_EQ(received.size(), static_cast<size_t>(kThreads * kLines));
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : received) {
    int t = -1, i = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d ", &t, &i), 2) << line;
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    EXPECT_EQ(i, next[t]) << "thread " << t << " out of order";
    next[t] = i + 1;
    const size_t x = line.size() - line.find_last_of(' ') - 1;
    EXPECT_EQ(x, static_cast<size_t>(50 + (i * 7 + t) % 100)) << line;
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kLines);
}

// Without a sink the lines go to the file descriptor, each with its newline, and the
// destructor writes what is still queued.
TEST(TransportHotPath, AccessLogWriterWritesWholeLinesToTheFile) {
  testing::ScratchDir scratch;
  const auto path = scratch.path() / "access.log";
  FILE* file = std::fopen(path.c_str(), "w");
  ASSERT_NE(file, nullptr);
  {
    api::internal::AccessLogWriter writer(fileno(file), nullptr, std::chrono::hours(1));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < 500; ++i)
          writer.Append(R"({"thread":)" + std::to_string(t) + R"(,"i":)" + std::to_string(i) + "}");
      });
    }
    for (auto& thread : threads) thread.join();
  }  // an hour's interval: only the destructor writes
  std::fclose(file);
  const std::string text = testing::ReadFile(path);
  std::map<int, int> count;
  size_t lines = 0;
  for (size_t start = 0; start < text.size();) {
    const size_t end = text.find('\n', start);
    ASSERT_NE(end, std::string::npos) << "the last line has no newline";
    Json line = Json::parse(text.substr(start, end - start));
    EXPECT_EQ(line["i"].get<int>(), count[line["thread"].get<int>()]++);
    ++lines;
    start = end + 1;
  }
  EXPECT_EQ(lines, 2000u);
}

TEST(TransportHotPath, MetricsCountEveryConcurrentObservationExactly) {
  api::HttpMetrics metrics;
  constexpr int kThreads = 8;
  constexpr int kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&metrics, t] {
      for (int i = 0; i < kEach; ++i) {
        // Exact binary fractions: the sum is exact whatever the order of the additions.
        metrics.Observe("POST", "/v1/match", i % 4 == 0 ? 429 : 200, i % 2 == 0 ? 0.5 : 0.0625);
        if (t == 0 && i % 1000 == 0) metrics.Observe("GET", "/route/" + std::to_string(i), 200, 0);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto parsed = testing::ParseExposition(metrics.Render());
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front();
  const double total = kThreads * kEach;
  EXPECT_EQ(parsed.Value("expectmatch_http_requests_total",
                         {{"method", "POST"}, {"route", "/v1/match"}, {"status", "200"}}),
            total * 3 / 4);
  EXPECT_EQ(parsed.Value("expectmatch_http_requests_total",
                         {{"method", "POST"}, {"route", "/v1/match"}, {"status", "429"}}),
            total / 4);
  const std::map<std::string, std::string> match = {{"method", "POST"}, {"route", "/v1/match"}};
  EXPECT_EQ(parsed.Value("expectmatch_http_request_duration_seconds_count", match), total);
  EXPECT_EQ(parsed.Value("expectmatch_http_request_duration_seconds_sum", match),
            total / 2 * 0.5 + total / 2 * 0.0625);
  auto bucket = [&](const std::string& le) {
    auto labels = match;
    labels["le"] = le;
    return parsed.Value("expectmatch_http_request_duration_seconds_bucket", labels);
  };
  EXPECT_EQ(bucket("0.05"), 0);
  EXPECT_EQ(bucket("0.1"), total / 2);
  EXPECT_EQ(bucket("0.5"), total);
  EXPECT_EQ(bucket("+Inf"), total);
  EXPECT_EQ(parsed.Value("expectmatch_http_requests_total",
                         {{"method", "GET"}, {"route", "/route/19000"}, {"status", "200"}}),
            1);
}

// ---------------------------------------------------------------------------------------------
// On a live server.

class TransportHotPathServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    api::ServerOptions options;
    options.threads = 4;
    options.max_active_requests = 2;
    options.access_log = true;
    options.access_log_sink = [](const std::string& line) {
      std::lock_guard lock(lines_mutex_);
      lines_.push_back(line);
    };
    live_ = new testing::InProcessServer(options);
  }
  static void TearDownTestSuite() {
    delete live_;
    live_ = nullptr;
  }
  static size_t LinesWithRequestId() {
    std::lock_guard lock(lines_mutex_);
    size_t n = 0;
    for (const std::string& line : lines_) n += line.find("\"request_id\"") != std::string::npos;
    return n;
  }
  static double MatchesCounted() {
    auto scrape = live_->Client("").Get("/metrics");
    if (!scrape) return -1;
    return testing::ParseExposition(scrape->body)
        .Value("expectmatch_http_requests_total",
               {{"method", "POST"}, {"route", "/v1/match"}, {"status", "200"}});
  }
  // Sends `request` on a new connection and returns what comes back until the server closes
  // it or `until` is in what was read (10 s at most: a guard, not a timing).
  static std::string Exchange(int fd, const std::string& request, const std::string& until) {
    if (!request.empty() && ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) < 0) return "";
    std::string got;
    char buffer[65536];
    while (got.find(until) == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) break;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<size_t>(n));
    }
    return got;
  }
  static int Connect() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(live_->server->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  static inline testing::InProcessServer* live_ = nullptr;
  static inline std::mutex lines_mutex_;
  static inline std::vector<std::string> lines_;
};

// N requests from several connections at once: the metrics count exactly N more, and the
// access log gets exactly N more lines of matches, each naming its own request id.
TEST_F(TransportHotPathServer, CountsAndLogsEveryConcurrentRequestExactlyOnce) {
  ASSERT_TRUE(live_->bound);
  const double counted_before = std::max(0.0, MatchesCounted());
  const size_t lines_before = LinesWithRequestId();
  constexpr int kClients = 6;
  constexpr int kEach = 25;
  std::mutex ids_mutex;
  std::set<std::string> ids;
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      httplib::Client client = live_->Client(live_->daect.secret);
      for (int i = 0; i < kEach; ++i) {
        auto answer = client.Post("/v1/match", R"({"need_id": "n1", "k": 3, "explain": true})",
                                  "application/json");
        if (!answer || answer->status != 200) continue;
        ++ok;
        std::lock_guard lock(ids_mutex);
        ids.insert(answer->get_header_value("X-Request-Id"));
      }
    });
  }
  for (auto& client : clients) client.join();
  ASSERT_EQ(ok.load(), kClients * kEach);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kClients * kEach));
  // The counter and the log lines are written just after each response: wait for them.
  EXPECT_TRUE(testing::WaitFor([&] { return MatchesCounted() >= counted_before + ok; }));
  EXPECT_EQ(MatchesCounted(), counted_before + ok);
  EXPECT_TRUE(testing::WaitFor([&] { return LinesWithRequestId() >= lines_before + ids.size(); }));
  std::lock_guard lock(lines_mutex_);
  std::set<std::string> logged;
  for (size_t i = 0; i < lines_.size(); ++i) {
    Json line = Json::parse(lines_[i]);
    if (line.value("route", "") != "/v1/match" || !line.contains("request_id")) continue;
    if (ids.count(line["request_id"].get<std::string>()) == 0) continue;
    EXPECT_TRUE(logged.insert(line["request_id"].get<std::string>()).second)
        << "logged twice: " << lines_[i];
    EXPECT_EQ(line["status"], 200);
    EXPECT_EQ(line["role"], "daect");
  }
  EXPECT_EQ(logged, ids);
}

// The body moved from the handler to the socket: the bytes received are the handler's, and
// Content-Length and the access log's byte count say their size.
TEST_F(TransportHotPathServer, TheAnswerReceivedIsTheHandlersBytes) {
  ASSERT_TRUE(live_->bound);
  const std::string body = R"({"need_id": "n1", "k": 5, "explain": true})";
  auto answer = live_->Client(live_->daect.secret).Post("/v1/match", body, "application/json");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->body;
  api::HttpRequest request;
  request.method = "POST";
  request.path = "/v1/match";
  request.headers = {{"authorization", "Bearer " + live_->daect.secret},
                     {"content-type", "application/json"}};
  request.body = body;
  request.remote_addr = "127.0.0.1";
  api::HttpResponse direct = live_->service->Handle(request);
  ASSERT_EQ(direct.status, 200);
  // Only the request id differs between two answers to the same request.
  const std::string received_id = answer->get_header_value("X-Request-Id");
  const std::string direct_id = direct.headers.at("X-Request-Id");
  ASSERT_EQ(received_id.size(), direct_id.size());
  std::string expected = direct.body;
  const size_t at = expected.find(direct_id);
  ASSERT_NE(at, std::string::npos);
  expected.replace(at, direct_id.size(), received_id);
  EXPECT_EQ(answer->body, expected);
  EXPECT_GT(answer->body.size(), 1000u);
  EXPECT_EQ(answer->get_header_value("Content-Length"), std::to_string(expected.size()));
  EXPECT_EQ(answer->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(testing::WaitFor([&] {
    std::lock_guard lock(lines_mutex_);
    for (const std::string& line : lines_) {
      if (line.find(received_id) != std::string::npos)
        return Json::parse(line)["bytes"] == expected.size();
    }
    return false;
  }));
}

// The status line and headers are held back to leave with the body; what has no body, or
// must reach the client before it sends more, is not held: a HEAD answer, a 100 Continue
// (the client waits for it before sending its body), two pipelined requests.
TEST_F(TransportHotPathServer, HeldHeadersNeverWaitForWhatWillNotCome) {
  ASSERT_TRUE(live_->bound);
  const int head = Connect();
  ASSERT_GE(head, 0);
  const std::string answer =
      Exchange(head, "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n", "\r\n\r\n");
  ::close(head);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\n\r\n"), std::string::npos) << answer;

  const int fd = Connect();
  ASSERT_GE(fd, 0);
  const std::string body = R"({"need_id": "n1", "k": 2})";
  const std::string head_only =
      "POST /v1/match HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + live_->daect.secret +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nExpect: 100-continue\r\n\r\n";
  const std::string go_on = Exchange(fd, head_only, "\r\n\r\n");
  EXPECT_EQ(go_on.rfind("HTTP/1.1 100 Continue\r\n", 0), 0u) << go_on;
  const std::string matched = Exchange(fd, body, "\"candidates\"");
  EXPECT_NE(matched.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << matched;

  // Two requests in one send: two whole answers, in order.
  const std::string twice =
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\n"
      "Host: x\r\nConnection: close\r\n\r\n";
  std::string both = Exchange(fd, twice, "\x01never");
  ::close(fd);
  const size_t first = both.find("HTTP/1.1 200 OK\r\n");
  const size_t second = both.find("HTTP/1.1 404 Not Found\r\n");
  ASSERT_NE(first, std::string::npos) << both;
  ASSERT_NE(second, std::string::npos) << both;
  EXPECT_LT(first, second);
  EXPECT_NE(both.find("\"status\":\"ok\""), std::string::npos) << both;
}

}  // namespace
}  // namespace expectmatch
