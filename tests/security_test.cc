// Security, against the real `expectmatch serve`: keys never leave the server (not in
// its logs, not in any response), per-key rate limiting (429 + Retry-After), and HTTPS with a
// certificate made here. The role × endpoint matrix is in service_test.cc (ServiceAuthorization.*).
#include <gtest/gtest.h>

#include <random>
#include <regex>
#include <string>
#include <vector>

#include "expectmatch/api/rate_limit.h"
#include "expectmatch/datasets/codec.h"
#include "server_process.h"
#include "testutil.h"

#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;

// A key made with `expectmatch keys create` (so that serve makes no bootstrap key): its id
// (printed on stderr) and its secret (on stdout).
std::pair<std::string, std::string> CreateKey(const std::string& db, const std::string& role_args) {
  testing::CliRun run = testing::Expectmatch("keys create " + role_args + " --db " + db);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::smatch id;
  std::regex_search(run.output, id, std::regex("k_[0-9a-f]{8}"));
  size_t at = run.output.find("emk_");
  return {id.empty() ? "" : id.str(), at == std::string::npos ? "" : run.output.substr(at, 68)};
}

TEST(SecurityRateLimiter, TokenBucketPerKey) {
  using Clock = api::RateLimiter::Clock;
  api::RateLimiter limiter(2, 3);  // 2 a second, 3 at once
  const Clock::time_point t0 = Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Take("a", t0)) << i;
  std::optional<double> wait = limiter.Take("a", t0);
  ASSERT_TRUE(wait);
  EXPECT_DOUBLE_EQ(*wait, 0.5);
  EXPECT_FALSE(limiter.Take("b", t0));  // another key, its own bucket
  // A quarter of a second later: half a token, a quarter of a second to wait.
  wait = limiter.Take("a", t0 + std::chrono::milliseconds(250));
  ASSERT_TRUE(wait);
  EXPECT_DOUBLE_EQ(*wait, 0.25);
  EXPECT_FALSE(limiter.Take("a", t0 + std::chrono::milliseconds(500)));
  // Never more than the burst, however long the key was idle.
  const Clock::time_point later = t0 + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Take("a", later)) << i;
  EXPECT_TRUE(limiter.Take("a", later));
}

TEST(SecurityRateLimiter, WaitTakesNothingAndRefilledBucketsAreForgotten) {
  using Clock = api::RateLimiter::Clock;
  api::RateLimiter limiter(1, 2, /*max_buckets=*/3);
  const Clock::time_point t0 = Clock::now();
  EXPECT_FALSE(limiter.Wait("a", t0));  // unknown: a full bucket
  EXPECT_FALSE(limiter.Take("a", t0));
  EXPECT_FALSE(limiter.Take("a", t0));
  ASSERT_TRUE(limiter.Wait("a", t0));
  EXPECT_DOUBLE_EQ(*limiter.Wait("a", t0), 1.0);
  EXPECT_DOUBLE_EQ(*limiter.Wait("a", t0), 1.0);  // waiting took nothing
  EXPECT_FALSE(limiter.Take("b", t0));
  EXPECT_FALSE(limiter.Take("c", t0));
  EXPECT_EQ(limiter.buckets(), 3u);
  // Ten seconds on, every bucket is full again: a new address makes room rather than grow.
  EXPECT_FALSE(limiter.Take("d", t0 + std::chrono::seconds(10)));
  EXPECT_EQ(limiter.buckets(), 1u);
}

class Security : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (scratch_.path() / "security.db").string();
    daect_ = CreateKey(db_, "--role daect").second;
    auto [revoked_id, revoked] = CreateKey(db_, "--role analyst");
    revoked_ = revoked;
    ASSERT_EQ(testing::Expectmatch("keys revoke " + revoked_id + " --db " + db_).exit_code, 0);
    embassy_ = CreateKey(db_, "--role embassy --country SN --label Dakar").second;
    ASSERT_FALSE(daect_.empty());
    ASSERT_FALSE(embassy_.empty());
  }
  std::vector<std::string> Args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"--db", db_, "--data", testing::TestData("tiny").string(),
                                     "--access-log"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  testing::ScratchDir scratch_;
  std::string db_, daect_, revoked_, embassy_;
};

TEST_F(Security, KeysNeverAppearInLogsOrResponses) {
  const auto log = scratch_.path() / "serve.log";
  std::string forged = "emk_" + std::string(64, 'f');
  std::vector<std::string> bodies;
  {
    testing::ServerProcess server(Args(), log);
    ASSERT_GT(server.port(), 0);
    struct Call {
      std::string key, method, path, body;
    };
    const std::vector<Call> calls = {
        {daect_, "GET", "/v1/needs/n1", ""},
        {daect_, "POST", "/v1/match", R"({"need_id": "n1", "k": 2})"},
        {daect_, "POST", "/v1/match", R"({"need_id": "nope"})"},        // 404
        {daect_, "POST", "/v1/match", R"({"need_id": "n1", "k": 0})"},  // 422
        {daect_, "POST", "/v1/match", R"({"need_id": )"},               // 400
        {daect_, "GET", "/v1/needs?token=" + daect_, ""},               // 400, key in the query
        {daect_, "GET", "/v1/no/such/route", ""},                       // 404
        {embassy_, "GET", "/v1/needs/n2", ""},                          // 404, other country
        {embassy_, "GET", "/v1/collectivites", ""},                     // 403, role
        {revoked_, "GET", "/v1/needs", ""},                             // 401, revoked
        {forged, "GET", "/v1/needs", ""},                               // 401, unknown
        {daect_ + "x", "GET", "/v1/needs", ""},                         // 401, altered
    };
    for (const Call& call : calls) {
      httplib::Client client("127.0.0.1", server.port());
      client.set_default_headers({{"Authorization", "Bearer " + call.key}});
      auto result = call.method == "GET"
                        ? client.Get(call.path.c_str())
                        : client.Post(call.path.c_str(), call.body, "application/json");
      ASSERT_TRUE(result) << call.path;
      EXPECT_NE(result->status, 500) << call.path;
      std::string everything = result->body;
      for (const auto& [name, value] : result->headers) everything += name + ": " + value + "\n";
      bodies.push_back(everything);
    }
    EXPECT_EQ(server.Signal(SIGTERM), 0);
  }
  const std::string logged = testing::ReadFile(log);
  ASSERT_NE(logged.find("\"route\":\"/v1/match\""), std::string::npos) << logged.substr(0, 2000);
  for (const std::string& secret : {daect_, embassy_, revoked_, forged}) {
    // Neither the key nor a recognisable part of it (its first 16 hex digits).
    for (const std::string& part : {secret, secret.substr(4, 16)}) {
      EXPECT_EQ(logged.find(part), std::string::npos) << "the log holds a key";
      for (const std::string& body : bodies)
        EXPECT_EQ(body.find(part), std::string::npos) << body.substr(0, 300);
    }
  }
  EXPECT_EQ(logged.find("Bearer"), std::string::npos);
}

TEST_F(Security, RateLimitIsPerKeyWith429AndRetryAfter) {
  testing::ServerProcess server(Args({"--rate-limit", "1", "--rate-burst", "3"}));
  ASSERT_GT(server.port(), 0);
  httplib::Client daect("127.0.0.1", server.port());
  daect.set_default_headers({{"Authorization", "Bearer " + daect_}});
  // The burst passes, the next request is refused (1 token a second, far slower than this).
  for (int i = 0; i < 3; ++i) ASSERT_EQ(daect.Get("/v1/themes")->status, 200) << i;
  auto refused = daect.Get("/v1/themes");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->get_header_value("Content-Type"), "application/problem+json");
  const std::string retry = refused->get_header_value("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GE(std::stoi(retry), 1);
  Json problem = Json::parse(refused->body);
  EXPECT_EQ(problem["status"], 429);
  EXPECT_EQ(problem["errors"][0]["parameter"], "Authorization");
  EXPECT_EQ(refused->body.find(daect_), std::string::npos);
  // Another key has its own bucket; open routes are not limited per key.
  httplib::Client embassy("127.0.0.1", server.port());
  embassy.set_default_headers({{"Authorization", "Bearer " + embassy_}});
  EXPECT_EQ(embassy.Get("/v1/themes")->status, 200);
  EXPECT_EQ(daect.Get("/healthz")->status, 200);
  // After Retry-After seconds, the key may go on.
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(retry)));
  EXPECT_EQ(daect.Get("/v1/themes")->status, 200);
}

// Requests without a valid key are limited per client address: a flood of forged, revoked or
// missing keys gets 429 + Retry-After before any hash or lookup; open routes are not limited.
TEST_F(Security, RequestsWithoutAValidKeyAreRateLimitedPerAddress) {
  testing::ServerProcess server(
      Args({"--unauthenticated-rate-limit", "1", "--unauthenticated-rate-burst", "3"}));
  ASSERT_GT(server.port(), 0);
  httplib::Client forged("127.0.0.1", server.port()), revoked("127.0.0.1", server.port()),
      none("127.0.0.1", server.port());
  forged.set_default_headers({{"Authorization", "Bearer emk_" + std::string(64, 'f')}});
  revoked.set_default_headers({{"Authorization", "Bearer " + revoked_}});
  // The burst is answered 401 (whatever is wrong with the key), the next request 429.
  EXPECT_EQ(forged.Get("/v1/themes")->status, 401);
  EXPECT_EQ(revoked.Get("/v1/themes")->status, 401);
  EXPECT_EQ(none.Post("/v1/match", R"({"need_id": "n1"})", "application/json")->status, 401);
  // (A token comes back every second: on a loaded machine one may have, hence a few tries.)
  httplib::Result refused = forged.Get("/v1/needs");
  for (int i = 0; i < 3 && refused && refused->status == 401; ++i)
    refused = forged.Get("/v1/needs");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429) << refused->body;
  EXPECT_EQ(refused->get_header_value("Content-Type"), "application/problem+json");
  const std::string retry = refused->get_header_value("Retry-After");
  ASSERT_FALSE(retry.empty());
  EXPECT_GE(std::stoi(retry), 1);
  Json problem = Json::parse(refused->body);
  EXPECT_EQ(problem["status"], 429);
  EXPECT_EQ(problem["errors"][0]["parameter"], "Authorization");
  httplib::Result again = none.Get("/v1/whoami");
  for (int i = 0; i < 3 && again && again->status == 401; ++i) again = none.Get("/v1/whoami");
  EXPECT_EQ(again->status, 429);
  // Open routes are not limited.
  EXPECT_EQ(none.Get("/healthz")->status, 200);
  EXPECT_EQ(none.Get("/openapi.json")->status, 200);
  // After Retry-After seconds, a token is back: a valid key from this address goes on.
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(retry)));
  httplib::Client daect("127.0.0.1", server.port());
  daect.set_default_headers({{"Authorization", "Bearer " + daect_}});
  EXPECT_EQ(daect.Get("/v1/themes")->status, 200);
  // Valid keys spend no token: many requests with one pass.
  for (int i = 0; i < 10; ++i) ASSERT_EQ(daect.Get("/v1/themes")->status, 200) << i;
}

TEST_F(Security, ServesHttpsWithACertificateMadeHere) {
  const auto cert = scratch_.path() / "cert.pem";
  const auto key = scratch_.path() / "key.pem";
  const std::string openssl =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
      "/CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key.string() + " -out " + cert.string() + " 2>&1";
  ASSERT_EQ(std::system(openssl.c_str()), 0);
  testing::ServerProcess server(Args({"--tls-cert", cert.string(), "--tls-key", key.string()}));
  ASSERT_GT(server.port(), 0);

  httplib::SSLClient client("127.0.0.1", server.port());
  client.set_ca_cert_path(cert.c_str());
  client.enable_server_certificate_verification(true);
  client.set_default_headers({{"Authorization", "Bearer " + daect_}});
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->status, 200);
  auto match = client.Post("/v1/match", R"({"need_id": "n1", "k": 1})", "application/json");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->status, 200) << match->body;
  EXPECT_EQ(Json::parse(match->body)["candidates"].size(), 1u);
  // Plain HTTP to the HTTPS port gets no HTTP answer; a client that does not trust the
  // certificate refuses it.
  httplib::Client plain("127.0.0.1", server.port());
  plain.set_read_timeout(5, 0);
  auto refused = plain.Get("/healthz");
  EXPECT_TRUE(!refused || refused->status != 200);
  httplib::SSLClient untrusting("127.0.0.1", server.port());
  untrusting.enable_server_certificate_verification(true);
  untrusting.set_ca_cert_path((scratch_.path() / "none.pem").c_str());
  EXPECT_FALSE(untrusting.Get("/healthz"));
  // The server still serves after both.
  EXPECT_EQ(client.Get("/healthz")->status, 200);
  EXPECT_EQ(server.Signal(SIGTERM), 0);
}

TEST_F(Security, RefusesToStartWithAnUnreadableCertificate) {
  testing::CliRun run = testing::Expectmatch(
      "serve --port 0 --db " + db_ + " --tls-cert /nonexistent.pem --tls-key /nonexistent.key");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("TLS"), std::string::npos) << run.output;
  run = testing::Expectmatch("serve --port 0 --db " + db_ + " --tls-cert /nonexistent.pem");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("tls_key"), std::string::npos) << run.output;
}

// The server keeps the keys it has seen for at most a second (service/key_cache.h): a key revoked
// by the command line, another process, while the server runs is refused once that second has
// passed, and was accepted, from the cache, the moment before the revocation.
TEST_F(Security, AKeyRevokedByTheCommandLineStopsWorkingWithinASecond) {
  auto [id, secret] = CreateKey(db_, "--role analyst --label portail");
  testing::ServerProcess server(Args());
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());
  client.set_default_headers({{"Authorization", "Bearer " + secret}});
  ASSERT_EQ(client.Get("/v1/themes")->status, 200);
  ASSERT_EQ(testing::Expectmatch("keys revoke " + id + " --db " + db_).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1050));
  auto refused = client.Get("/v1/themes");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
}

}  // namespace
}  // namespace expectmatch
