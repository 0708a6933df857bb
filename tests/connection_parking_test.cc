// Keep-alive connections between two requests wait in the transport's connection parker
// (api/src/connection_parker.h), not each on a thread of its own: many idle clients cost
// no threads, each one's next request is still served, and in the order requests arrived.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "expectmatch/api/http_server.h"
#include "live_server.h"
#include "raw_http.h"

namespace expectmatch {
namespace {

// Threads of this process now.
size_t ThreadCount() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task"))
    ++count;
  return count;
}

std::string GetRequest(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}
std::string HealthRequest() { return GetRequest("/healthz"); }

TEST(ConnectionParking, IdleKeepAliveConnectionsHoldNoThreadAndAreServedAgain) {
  api::ServerOptions options;
  options.threads = 2;
  options.max_connections = 256;
  options.max_active_requests = 2;
  options.limits.keep_alive_timeout_seconds = 60;
  testing::InProcessServer s(options, /*ranking_log=*/false);
  ASSERT_TRUE(s.bound);
  const int port = s.server->port();

  // One request on each connection, one connection after the other, all of them kept open.
  constexpr size_t kConnections = 48;
  std::vector<testing::RawConnection> connections;
  for (size_t i = 0; i < kConnections; ++i) {
    connections.emplace_back(port);
    ASSERT_TRUE(connections.back().ok());
    ASSERT_TRUE(connections.back().Send(HealthRequest()));
    const testing::RawResponse answer =
        testing::ParseRawResponse(connections.back().ReceiveResponse());
    ASSERT_EQ(answer.status, 200) << "connection " << i << ": " << answer.head;
  }
  const size_t idle_threads = ThreadCount();
  // 48 idle connections, and the server's threads: the accept loop, 2 workers for new
  // connections, 2 for woken ones, the parker, the access log... A thread per connection
  // would be over 48.
  EXPECT_LT(idle_threads, 24u);

  // Every parked connection is woken by its next request and served, on the same few threads.
  for (auto& connection : connections) ASSERT_TRUE(connection.Send(HealthRequest()));
  for (size_t i = 0; i < kConnections; ++i) {
    const testing::RawResponse answer = testing::ParseRawResponse(connections[i].ReceiveResponse());
    EXPECT_EQ(answer.status, 200) << "connection " << i << ": " << answer.head;
  }
  EXPECT_LT(ThreadCount(), 24u);
}

TEST(ConnectionParking, AServerBoundLongAfterItWasMadeStillKeepsItsConnectionsAlive) {
  api::ServerOptions options;
  options.threads = 2;
  options.port = 0;
  testing::InProcessServer s(options, /*ranking_log=*/false);
  ASSERT_TRUE(s.bound);
  // A second server on the same service, bound and run a while after it was made: its parker
  // must not have taken the not-yet-listening server for a stopped one.
  api::HttpServer late(*s.service, options);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string error;
  ASSERT_TRUE(late.Bind(&error)) << error;
  std::thread running([&late] { late.Run(); });
  {
    testing::RawConnection connection(late.port());
    ASSERT_TRUE(connection.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(connection.Send(HealthRequest()));
      const testing::RawResponse answer = testing::ParseRawResponse(connection.ReceiveResponse());
      EXPECT_EQ(answer.status, 200) << "request " << i << " on one connection: " << answer.head;
    }
  }
  late.Stop();
  running.join();
}

// How many GET /metrics had been answered (200) when this scrape was rendered: with a single
// worker, the order in which scrapes were served.
long MetricsScrapesBefore(const std::string& wire) {
  const std::string line =
      "expectmatch_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"} ";
  const size_t at = wire.find(line);
  return at == std::string::npos ? 0 : std::stol(wire.substr(at + line.size()));
}

std::string MetricsRequest() { return GetRequest("/metrics"); }

TEST(ConnectionParking, AConnectionWithASecondRequestReadyGoesBehindTheOnesWaiting) {
  // One worker for woken connections, and no more: the order of service is the test's.
  api::ServerOptions options;
  options.threads = 1;
  options.max_connections = 1;
  options.max_active_requests = 1;
  options.limits.keep_alive_timeout_seconds = 60;
  options.limits.read_timeout_seconds = 10;
  testing::InProcessServer s(options, /*ranking_log=*/false);
  ASSERT_TRUE(s.bound);
  const int port = s.server->port();
  testing::RawConnection a(port), b(port), slow(port);
  for (testing::RawConnection* connection : {&a, &b, &slow}) {
    ASSERT_TRUE(connection->ok());
    ASSERT_TRUE(connection->Send(HealthRequest()));
    ASSERT_EQ(testing::ParseRawResponse(connection->ReceiveResponse()).status, 200);
  }
  const long before = [&] {
    testing::RawConnection probe(port);
    probe.Send(MetricsRequest());
    return MetricsScrapesBefore(probe.ReceiveResponse());
  }();

  // The worker is held by a request whose body is still coming...
  ASSERT_TRUE(slow.Send("POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Content-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"need_id\""));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // ...while `a` sends two requests at once, then `b` one: both wait, `a` first.
  ASSERT_TRUE(a.Send(MetricsRequest() + MetricsRequest()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(b.Send(MetricsRequest()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(slow.Send(": \"n1\"}"));
  EXPECT_EQ(testing::ParseRawResponse(slow.ReceiveResponse()).status, 401);

  // `a`'s first request, then `b`'s, which had waited longer than `a`'s second.
  const std::vector<std::string> of_a = a.ReceiveResponses(2);
  ASSERT_EQ(of_a.size(), 2u);
  const std::string of_b = b.ReceiveResponse();
  ASSERT_EQ(testing::ParseRawResponse(of_b).status, 200) << of_b;
  EXPECT_EQ(MetricsScrapesBefore(of_a[0]), before + 1);
  EXPECT_EQ(MetricsScrapesBefore(of_b), before + 2);
  EXPECT_EQ(MetricsScrapesBefore(of_a[1]), before + 3);
}

}  // namespace
}  // namespace expectmatch
