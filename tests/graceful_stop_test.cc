// Graceful stop of a server in this process: the request in progress finishes, idle
// keep-alive connections are closed within their timeout, new connections are refused (the
// real binary on SIGTERM: serve_binary_test.cc).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "expectmatch/api/http_server.h"
#include "expectmatch/api/service.h"
#include "expectmatch/store/store.h"
#include "live_server.h"
#include "prometheus_text.h"
#include "raw_http.h"
#include "testutil.h"

#include <httplib.h>

namespace expectmatch {
namespace {

using testing::ParseExposition;
using testing::WaitFor;
using Clock = std::chrono::steady_clock;

// Two threads and the given keep-alive timeout.
api::ServerOptions StoppableOptions(int keep_alive_seconds) {
  api::ServerOptions options;
  options.threads = 2;
  options.limits.keep_alive_timeout_seconds = keep_alive_seconds;
  return options;
}

// The requests the server is handling now, from its own metrics.
double InFlight(const testing::InProcessServer& s) {
  return ParseExposition(s.server->metrics().Render()).Value("expectmatch_http_requests_in_flight");
}

TEST(GracefulStop, LetsTheRequestInProgressFinish) {
  testing::InProcessServer s(StoppableOptions(5));
  ASSERT_TRUE(s.bound);
  // A match whose body arrives in two parts: the request is in progress between them.
  const std::string body = R"({"need_id": "n1", "k": 2})";
  testing::RawConnection connection(s.server->port(), 10);
  ASSERT_TRUE(connection.ok());
  ASSERT_TRUE(connection.Send(
      "POST /v1/match HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + s.daect.secret +
      "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
  ASSERT_TRUE(WaitFor([&] { return InFlight(s) == 1; }));

  std::thread stopper([&] { s.server->Stop(); });
  stopper.join();  // Stop returns at once; Run waits for the request
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(s.returned) << "Run returned while a request was in progress";
  // New connections are refused once stopped.
  testing::RawConnection late(s.server->port(), 10);
  EXPECT_FALSE(late.ok());

  ASSERT_TRUE(connection.Send(body.substr(10)));
  std::string response = connection.ReceiveAll();
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response.substr(0, 200);
  EXPECT_NE(response.find("\"candidates\""), std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return s.returned.load(); }, std::chrono::milliseconds(3000)));
  s.log->Flush();
  EXPECT_EQ(s.store->RankingLogSize(), 1u);
}

TEST(GracefulStop, ClosesAnIdleKeepAliveConnectionWithinItsTimeout) {
  testing::InProcessServer s(StoppableOptions(1));
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
  api::Service service(store, service::OpenSnapshot(store, testing::TestData("tiny")), nullptr,
                       {std::chrono::milliseconds(0)});
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

}  // namespace
}  // namespace expectmatch
