// The real `expectmatch serve` in a child process: its first start, and its stop on SIGTERM
// with an idle keep-alive client (graceful stop in process: graceful_stop_test.cc).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/store/store.h"
#include "prometheus_text.h"
#include "server_process.h"
#include "testutil.h"

#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;
using testing::Exposition;
using testing::ParseExposition;
using Clock = std::chrono::steady_clock;

TEST(ServeBinary, FirstStartCreatesAnOwnerOnlyDaectKeyFile) {
  testing::ScratchDir scratch;
  const auto db = scratch.path() / "var" / "first.db";
  const auto key_file = scratch.path() / "var" / "daect.key";
  const std::vector<std::string> args = {"--db", db.string(), "--data",
                                         testing::TestData("tiny").string()};
  std::string secret;
  {
    testing::ServerProcess server(args);
    ASSERT_GT(server.port(), 0);
    ASSERT_TRUE(std::filesystem::exists(key_file));
    auto perms = std::filesystem::status(key_file).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
    secret = testing::ReadFile(key_file);
    secret = secret.substr(0, secret.find('\n'));
    ASSERT_EQ(secret.rfind("emk_", 0), 0u);
    httplib::Client client("127.0.0.1", server.port());
    EXPECT_EQ(client.Get("/v1/needs")->status, 401);
    client.set_default_headers({{"Authorization", "Bearer " + secret}});
    EXPECT_EQ(client.Get("/v1/needs")->status, 200);
    server.Signal(SIGTERM);
  }
  // A second start keeps the key.
  testing::ServerProcess again(args);
  ASSERT_GT(again.port(), 0);
  EXPECT_EQ(testing::ReadFile(key_file).substr(0, secret.size()), secret);
}

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
  testing::ServerProcess child({"--db", db.string(), "--data", testing::TestData("tiny").string(),
                                "--keep-alive-timeout", "2"},
                               err);
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
  EXPECT_EQ(
      parsed.Value("expectmatch_http_requests_total", {{"route", "/v1/match"}, {"status", "200"}}),
      1);

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
