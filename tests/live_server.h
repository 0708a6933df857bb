// Servers in this process on an ephemeral port, over their own store seeded with the tiny data
// set: InProcessServer for a test that starts and stops its own, LiveServer for a suite that
// shares one with an API key per role (`Suite` only gives each suite its own server).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "expectmatch/api/http_server.h"
#include "expectmatch/api/service.h"
#include "expectmatch/service/keys.h"
#include "expectmatch/store/store.h"
#include "testutil.h"

// After Eigen (through the headers above): httplib.h brings <resolv.h>, whose `_res` macro
// breaks Eigen's headers when they come later.
#include <httplib.h>

namespace expectmatch::testing {

// `options` with port 0 (the others as given) over a fresh store holding the tiny data set and
// one DAECT key, with a ranking log unless `ranking_log` is false (the service then logs
// nothing). The constructor binds (a failure is reported to the running test and leaves
// `bound` false) and runs the server on its own thread; the destructor stops it and waits.
struct InProcessServer {
  explicit InProcessServer(api::ServerOptions options, bool ranking_log = true) {
    store = std::make_unique<store::Store>(scratch.path() / "server.db");
    auto snapshot = service::OpenSnapshot(*store, TestData("tiny"));
    daect = service::CreateApiKey(*store, service::Role::kDaect, "", "tests");
    if (ranking_log) log = std::make_unique<service::RankingLog>(*store);
    api::ServiceOptions service_options;
    service_options.refresh_interval = std::chrono::milliseconds(0);  // tests call Refresh()
    service_options.documents_dir = scratch.path() / "documents";
    service = std::make_unique<api::Service>(*store, snapshot, log.get(), service_options);
    options.port = 0;
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
  ~InProcessServer() {
    server->Stop();
    if (thread.joinable()) thread.join();
  }
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  // A client of this server sending `key` as its bearer key (none when empty), with 10 s
  // connection and read timeouts.
  httplib::Client Client(const std::string& key) const {
    httplib::Client client("127.0.0.1", server->port());
    client.set_connection_timeout(10, 0);
    client.set_read_timeout(10, 0);
    if (!key.empty()) client.set_default_headers({{"Authorization", "Bearer " + key}});
    return client;
  }

  ScratchDir scratch;
  std::unique_ptr<store::Store> store;
  service::NewKey daect;
  std::unique_ptr<service::RankingLog> log;  // null without a ranking log
  std::unique_ptr<api::Service> service;
  std::unique_ptr<api::HttpServer> server;
  bool bound = false;
  std::thread thread;
  std::atomic<bool> returned{false};  // Run returned
};

// One InProcessServer (4 threads) for the whole suite, with keys for the other roles too.
template <typename Suite>
class LiveServer : public ::testing::Test {
 protected:
  using Json = datasets::Json;

  static void SetUpTestSuite() {
    api::ServerOptions options;
    options.threads = 4;
    live_ = new InProcessServer(options);
    ASSERT_TRUE(live_->bound);
    scratch_ = &live_->scratch;
    store_ = live_->store.get();
    log_ = live_->log.get();
    service_ = live_->service.get();
    server_ = live_->server.get();
    daect_ = live_->daect.secret;
    analyst_ = service::CreateApiKey(*store_, service::Role::kAnalyst, "", "tests").secret;
    embassy_sn_ = service::CreateApiKey(*store_, service::Role::kEmbassy, "SN",
                                        "Ambassade de France au Sénégal")
                      .secret;
    embassy_ma_ = service::CreateApiKey(*store_, service::Role::kEmbassy, "MA",
                                        "Ambassade de France au Maroc")
                      .secret;
  }
  static void TearDownTestSuite() {
    delete live_;
    live_ = nullptr;
  }

  // A client sending `key` as its bearer key (none when empty); the DAECT key by default.
  static httplib::Client Client(const std::string& key) { return live_->Client(key); }
  static httplib::Result Post(const std::string& path, const std::string& body,
                              const std::string& type = "application/json",
                              const std::string& key = daect_) {
    return Client(key).Post(path.c_str(), body, type.c_str());
  }
  static httplib::Result PostAs(const std::string& key, const std::string& path,
                                const std::string& body) {
    return Post(path, body, "application/json", key);
  }
  static httplib::Result Get(const std::string& path, const std::string& key = daect_) {
    return Client(key).Get(path.c_str());
  }
  static httplib::Result Put(const std::string& path, const std::string& body,
                             const std::string& key = daect_) {
    return Client(key).Put(path.c_str(), body, "application/json");
  }
  static httplib::Result Patch(const std::string& path, const std::string& body,
                               const std::string& key = daect_) {
    return Client(key).Patch(path.c_str(), body, "application/json");
  }

  // Expects a problem document with `status` whose first error names `where` (a JSON pointer,
  // or a parameter when key == "parameter").
  static void ExpectProblem(const httplib::Result& result, int status, const std::string& where,
                            const std::string& key = "pointer") {
    ASSERT_TRUE(result) << "no response";
    EXPECT_EQ(result->status, status) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json");
    Json body = Json::parse(result->body);
    EXPECT_EQ(body["status"], status);
    EXPECT_TRUE(body["detail"].is_string());
    ASSERT_TRUE(body.contains("errors")) << result->body;
    EXPECT_EQ(body["errors"][0][key], where) << result->body;
  }

  static inline InProcessServer* live_ = nullptr;
  // Parts of live_, by their former names.
  static inline ScratchDir* scratch_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline service::RankingLog* log_ = nullptr;
  static inline api::Service* service_ = nullptr;
  static inline api::HttpServer* server_ = nullptr;
  static inline std::string daect_, analyst_, embassy_sn_, embassy_ma_;
};

}  // namespace expectmatch::testing
