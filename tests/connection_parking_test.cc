// Keep-alive connections between two requests wait in the transport's connection parker
// (api/src/connection_parker.h), not each on a thread of its own: many idle clients cost
// no threads, and each one's next request is still served.
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

std::string HealthRequest() { return "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

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

}  // namespace
}  // namespace expectmatch
