// Slow and idle clients: they must not starve the worker pool, and the transport
// drops them at its limits (api/src/connection_guard.h). Servers in this process, on their own
// store, with small pools and short limits.
#include <gtest/gtest.h>

#include <poll.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "expectmatch/api/http_server.h"
#include "expectmatch/api/service.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/store/store.h"
#include "live_server.h"
#include "raw_http.h"
#include "testutil.h"

#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;

// Without a ranking log; `base` decides the pool and the limits.
struct SmallServer : testing::InProcessServer {
  explicit SmallServer(const api::ServerOptions& base)
      : InProcessServer(base, /*ranking_log=*/false) {}
  httplib::Client Client() const { return InProcessServer::Client(key); }

  const std::string key = daect.secret;
};

// True when the server closed the connection (recv returns 0) within `seconds`.
bool ClosedByServer(int fd, int seconds) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, seconds * 1000) <= 0) return false;
  char buffer[4096];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) {
  }
  return n == 0;
}

TEST(SlowClients, IdleAndTricklingConnectionsDoNotStarveThePool) {
  api::ServerOptions options;
  options.threads = 2;
  options.max_connections = 64;
  // Limits far away: the slow connections below hold their workers for the whole test.
  options.limits.read_timeout_seconds = 60;
  options.limits.request_timeout_seconds = 120;
  options.limits.keep_alive_timeout_seconds = 60;
  SmallServer s(options);
  ASSERT_TRUE(s.bound);
  const int port = s.server->port();

  std::vector<testing::RawConnection> held;
  // Idle: connected, nothing sent (4 × the pool).
  for (int i = 0; i < 8; ++i) held.emplace_back(port);
  // Slowloris: a request line and half a header.
  for (int i = 0; i < 4; ++i) {
    held.emplace_back(port);
    ASSERT_TRUE(held.back().Send("GET /v1/themes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a"));
  }
  // A body announced and sent a byte at a time, never finished.
  for (int i = 0; i < 4; ++i) {
    held.emplace_back(port);
    ASSERT_TRUE(held.back().Send(
        "POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.key +
        "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"));
  }
  for (auto& connection : held) ASSERT_TRUE(connection.ok());
  std::atomic<bool> trickling{true};
  std::vector<size_t> trickled(held.size(), 0);  // bytes sent by the trickler, per connection
  std::thread trickler([&] {
    while (trickling) {
      for (size_t i = 8; i < held.size(); ++i) trickled[i] += held[i].Send(" ") ? 1 : 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  // Held for a while first: a server that dropped them early (at a short timeout rather than the
  // configured ones) would have no slow connection left to be starved by, and the check after
  // the requests below catches it.
  std::this_thread::sleep_for(std::chrono::seconds(2));

  // 16 connections are held by 2 + N workers; normal requests are still answered.
  for (int i = 0; i < 5; ++i) {
    auto health = s.Client().Get("/healthz");
    ASSERT_TRUE(health) << "a normal request was starved by slow connections";
    EXPECT_EQ(health->status, 200);
    auto match = s.Client().Post("/v1/match", R"({"need_id": "n1", "k": 2})", "application/json");
    ASSERT_TRUE(match);
    EXPECT_EQ(match->status, 200) << match->body;
  }
  trickling = false;
  trickler.join();

  // Meanwhile the slow connections were held, not dropped: the server has neither answered nor
  // closed any of them, and each one's request, finished now, is answered.
  for (size_t i = 0; i < held.size(); ++i) EXPECT_TRUE(held[i].Silent()) << "connection " << i;
  const std::string auth = "Authorization: Bearer " + s.key + "\r\n";
  for (size_t i = 0; i < 8; ++i) {
    ASSERT_TRUE(held[i].Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  }
  for (size_t i = 8; i < 12; ++i) ASSERT_TRUE(held[i].Send("\r\n" + auth + "\r\n"));
  const std::string tail = R"("need_id": "n1", "k": 1})";
  for (size_t i = 12; i < 16; ++i) {
    const size_t left = 100 - 1 - trickled[i];  // Content-Length minus what was sent
    ASSERT_GE(left, tail.size());
    ASSERT_TRUE(held[i].Send(tail + std::string(left - tail.size(), ' ')));
  }
  for (size_t i = 0; i < held.size(); ++i) {
    testing::RawResponse answer = testing::ParseRawResponse(held[i].ReceiveResponse());
    EXPECT_EQ(answer.status, 200) << "connection " << i << ": " << answer.head;
  }
}

TEST(SlowClients, ARequestTrickledPastItsDeadlineGets408) {
  api::ServerOptions options;
  options.threads = 2;
  options.limits.read_timeout_seconds = 1;
  options.limits.request_timeout_seconds = 2;
  SmallServer s(options);
  ASSERT_TRUE(s.bound);
  // Headers a byte every 300 ms: each read is within the read timeout, the whole is not.
  testing::RawConnection headers(s.server->port());
  ASSERT_TRUE(headers.ok());
  ASSERT_TRUE(headers.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  std::thread slow([&] {
    const std::string header = "X-Slow: " + std::string(40, 'z');
    for (char ch : header) {
      if (!headers.Send(std::string(1, ch))) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  testing::RawResponse answer = testing::ParseRawResponse(headers.ReceiveAll());
  slow.join();
  EXPECT_EQ(answer.status, 408) << answer.head;
  EXPECT_EQ(Json::parse(answer.body)["status"], 408);

  // A body a byte every 300 ms, likewise.
  testing::RawConnection body(s.server->port());
  ASSERT_TRUE(body.Send("POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                        s.key +
                        "\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"));
  std::thread slow_body([&] {
    for (int i = 0; i < 40; ++i) {
      if (!body.Send(" ")) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  answer = testing::ParseRawResponse(body.ReceiveAll());
  slow_body.join();
  EXPECT_EQ(answer.status, 408) << answer.head;
}

TEST(SlowClients, ASlowButTimelyBodyIsServedAndIdleConnectionsAreClosed) {
  api::ServerOptions options;
  options.threads = 2;
  options.limits.read_timeout_seconds = 1;
  options.limits.request_timeout_seconds = 5;
  options.limits.keep_alive_timeout_seconds = 1;
  SmallServer s(options);
  ASSERT_TRUE(s.bound);
  // A byte every 20 ms: slow, but well within the limits.
  const std::string json = R"({"need_id": "n1", "k": 1})";
  testing::RawConnection connection(s.server->port());
  ASSERT_TRUE(connection.Send(
      "POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.key +
      "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(json.size()) + "\r\n\r\n"));
  for (char ch : json) {
    ASSERT_TRUE(connection.Send(std::string(1, ch)));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  testing::RawResponse answer = testing::ParseRawResponse(connection.ReceiveAll());
  EXPECT_EQ(answer.status, 200) << answer.head;

  // An idle connection is closed by the server (after the keep-alive timeout).
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(s.server->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_TRUE(ClosedByServer(fd, 20));
  close(fd);
}

}  // namespace
}  // namespace expectmatch
