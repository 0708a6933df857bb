// A live server on an ephemeral port over the tiny data set, shared by a test suite, with one
// API key per role. `Suite` only gives each suite its own server.
#pragma once

#include <gtest/gtest.h>

#include <thread>

#include "expectmatch/service/keys.h"
#include "expectmatch/api/http_server.h"
#include "expectmatch/api/service.h"
#include "expectmatch/store/store.h"
#include "testutil.h"

// After Eigen (through the headers above): httplib.h brings <resolv.h>, whose `_res` macro
// breaks Eigen's headers when they come later.
#include <httplib.h>

namespace expectmatch::testing {

template <typename Suite>
class LiveServer : public ::testing::Test {
 protected:
  using Json = datasets::Json;

  static void SetUpTestSuite() {
    scratch_ = new ScratchDir();
    store_ = new store::Store(scratch_->path() / "http.db");
    auto snapshot = service::OpenSnapshot(*store_, TestData("tiny"));
    daect_ = service::CreateApiKey(*store_, service::Role::kDaect, "", "tests").secret;
    analyst_ = service::CreateApiKey(*store_, service::Role::kAnalyst, "", "tests").secret;
    embassy_sn_ = service::CreateApiKey(*store_, service::Role::kEmbassy, "SN", "Ambassade de France au Sénégal").secret;
    embassy_ma_ = service::CreateApiKey(*store_, service::Role::kEmbassy, "MA", "Ambassade de France au Maroc").secret;
    log_ = new service::RankingLog(*store_);
    api::ServiceOptions service_options;
    service_options.refresh_interval = std::chrono::milliseconds(0);  // tests call Refresh()
    service_ = new api::Service(*store_, snapshot, log_, service_options);
    api::ServerOptions options;
    options.port = 0;
    options.threads = 4;
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
    delete store_;
    delete scratch_;
  }

  // A client sending `key` as its bearer key (none when empty); the DAECT key by default.
  static httplib::Client Client(const std::string& key) {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(10, 0);
    if (!key.empty()) client.set_default_headers({{"Authorization", "Bearer " + key}});
    return client;
  }
  static httplib::Result Post(const std::string& path, const std::string& body, const std::string& type = "application/json",
                              const std::string& key = daect_) {
    return Client(key).Post(path.c_str(), body, type.c_str());
  }
  static httplib::Result PostAs(const std::string& key, const std::string& path, const std::string& body) {
    return Post(path, body, "application/json", key);
  }
  static httplib::Result Get(const std::string& path, const std::string& key = daect_) { return Client(key).Get(path.c_str()); }
  static httplib::Result Put(const std::string& path, const std::string& body, const std::string& key = daect_) {
    return Client(key).Put(path.c_str(), body, "application/json");
  }
  static httplib::Result Patch(const std::string& path, const std::string& body, const std::string& key = daect_) {
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

  static inline ScratchDir* scratch_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline service::RankingLog* log_ = nullptr;
  static inline api::Service* service_ = nullptr;
  static inline api::HttpServer* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline std::string daect_, analyst_, embassy_sn_, embassy_ma_;
};

}  // namespace expectmatch::testing
