// serve's configuration (flag > environment > file > default, validated in French), resolved
// without starting anything, and refused by the real binary before it touches the database.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "expectmatch/api/http_server.h"
#include "expectmatch/app/serve_config.h"
#include "testutil.h"

namespace expectmatch {
namespace {

class ServeConfiguration : public ::testing::Test {
 protected:
  std::string File(const std::string& text, const std::string& name = "serve.ini") {
    std::filesystem::path path = scratch_.path() / name;
    testing::WriteFile(path, text);
    return path.string();
  }
  std::optional<app::ServeConfig> Resolve(const app::ServeInputs& inputs) {
    error_.clear();
    return app::ResolveServeConfig(inputs, &error_);
  }
  // Expects the inputs to be refused with a message containing every one of `parts`.
  void ExpectRefused(const app::ServeInputs& inputs, const std::vector<std::string>& parts) {
    auto config = Resolve(inputs);
    EXPECT_FALSE(config);
    for (const std::string& part : parts)
      EXPECT_NE(error_.find(part), std::string::npos) << error_ << " lacks " << part;
  }

  testing::ScratchDir scratch_;
  std::string error_;
};

TEST_F(ServeConfiguration, DefaultsWhenNothingIsGiven) {
  app::ServeInputs inputs;
  inputs.defaults.data = "datasets/sample";
  auto config = Resolve(inputs);
  ASSERT_TRUE(config) << error_;
  EXPECT_EQ(config->db, "var/expectmatch.db");
  EXPECT_EQ(config->data, "datasets/sample");
  EXPECT_EQ(config->host, "127.0.0.1");
  EXPECT_EQ(config->port, 8080);
  EXPECT_EQ(config->threads, 8u);
  EXPECT_EQ(config->body_limit, 1048576u);
  EXPECT_EQ(config->read_timeout, 5);
  EXPECT_EQ(config->write_timeout, 5);
  EXPECT_EQ(config->keep_alive_timeout, 5);
  EXPECT_TRUE(config->access_log);
  EXPECT_EQ(config->active_requests, 0u);  // twice the cores
}

// The command line's defaults are written beside its settings table; they must stay the
// server's own, or `serve` and an embedding program would behave differently.
TEST(ServeConfigurationDefaults, AreTheServersOwn) {
  const app::ServeConfig config;
  const api::ServerOptions server;
  EXPECT_EQ(config.host, server.host);
  EXPECT_EQ(config.port, server.port);
  EXPECT_EQ(config.threads, server.threads);
  EXPECT_EQ(config.body_limit, server.max_body_bytes);
  EXPECT_EQ(config.read_timeout, server.limits.read_timeout_seconds);
  EXPECT_EQ(config.write_timeout, server.limits.write_timeout_seconds);
  EXPECT_EQ(config.keep_alive_timeout, server.limits.keep_alive_timeout_seconds);
  EXPECT_EQ(config.request_timeout, server.limits.request_timeout_seconds);
  EXPECT_EQ(config.header_limit, server.limits.max_header_bytes);
  EXPECT_EQ(config.max_connections, server.max_connections);
  EXPECT_EQ(config.active_requests, server.max_active_requests);
}

TEST_F(ServeConfiguration, ActiveRequestsFromFlagEnvironmentOrFile) {
  app::ServeInputs inputs;
  inputs.config_file = File("active_requests = 3\n");
  EXPECT_EQ(Resolve(inputs)->active_requests, 3u);
  inputs.env = {{"EXPECTMATCH_ACTIVE_REQUESTS", "1024"}};
  EXPECT_EQ(Resolve(inputs)->active_requests, 1024u);
  inputs.flags = {{"active_requests", "1"}};
  EXPECT_EQ(Resolve(inputs)->active_requests, 1u);
  inputs = {};
  inputs.flags = {{"active_requests", "1025"}};
  ExpectRefused(inputs, {"active_requests", "1025", "--active-requests", "entre 0 et 1024"});
  inputs = {};
  inputs.env = {{"EXPECTMATCH_ACTIVE_REQUESTS", "-1"}};
  ExpectRefused(inputs, {"active_requests", "EXPECTMATCH_ACTIVE_REQUESTS"});
}

TEST_F(ServeConfiguration, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  app::ServeInputs inputs;
  inputs.config_file = File(
      "# operations\n"
      "[serve]\n"
      "port = 1001\n"
      "threads = 3\n"
      "body_limit = 2048\n"
      "read_timeout = 7\n"
      "db = \"/srv/file.db\"\r\n"
      "\n"
      "; access_log = true\n");
  inputs.env = {{"EXPECTMATCH_PORT", "1002"},
                {"EXPECTMATCH_THREADS", "4"},
                {"EXPECTMATCH_DB", "/srv/env.db"}};
  inputs.flags = {{"port", "1003"}};
  auto config = Resolve(inputs);
  ASSERT_TRUE(config) << error_;
  EXPECT_EQ(config->port, 1003);         // flag over environment and file
  EXPECT_EQ(config->threads, 4u);        // environment over file
  EXPECT_EQ(config->db, "/srv/env.db");  // environment over file
  EXPECT_EQ(config->body_limit, 2048u);  // file over default
  EXPECT_EQ(config->read_timeout, 7);    // file over default
  EXPECT_EQ(config->write_timeout, 5);   // default
  EXPECT_TRUE(config->access_log);       // the commented line is ignored

  inputs.flags.clear();
  EXPECT_EQ(Resolve(inputs)->port, 1002);
  inputs.env.erase("EXPECTMATCH_PORT");
  EXPECT_EQ(Resolve(inputs)->port, 1001);
  inputs.env["EXPECTMATCH_PORT"] = "";  // empty: as if unset
  EXPECT_EQ(Resolve(inputs)->port, 1001);
}

TEST_F(ServeConfiguration, TheFileComesFromTheFlagOrTheEnvironment) {
  app::ServeInputs inputs;
  inputs.env = {{"EXPECTMATCH_CONFIG", File("port = 2001\n", "env.ini")}};
  EXPECT_EQ(Resolve(inputs)->port, 2001);
  inputs.config_file = File("port = 2002\n", "flag.ini");
  EXPECT_EQ(Resolve(inputs)->port, 2002);
}

TEST_F(ServeConfiguration, AccessLogIsOnUnlessTurnedOff) {
  app::ServeInputs inputs;
  inputs.env = {{"EXPECTMATCH_ACCESS_LOG", "false"}};
  EXPECT_FALSE(Resolve(inputs)->access_log);
  inputs.flags = {{"access_log", "true"}};  // --access-log
  EXPECT_TRUE(Resolve(inputs)->access_log);
  inputs = {};
  inputs.config_file = File("access_log = off\n");
  EXPECT_FALSE(Resolve(inputs)->access_log);
  inputs.env = {{"EXPECTMATCH_ACCESS_LOG", "oui"}};
  EXPECT_TRUE(Resolve(inputs)->access_log);
}

TEST_F(ServeConfiguration, RefusesInvalidValuesNamingTheSettingAndItsSource) {
  app::ServeInputs inputs;
  inputs.flags = {{"port", "70000"}};
  ExpectRefused(inputs, {"port", "70000", "--port", "entre 0 et 65535"});

  inputs = {};
  inputs.env = {{"EXPECTMATCH_THREADS", "0"}};
  ExpectRefused(inputs, {"threads", "EXPECTMATCH_THREADS", "entre 1 et 256"});

  inputs = {};
  inputs.config_file = File("port = 8080\nread_timeout = -1\n");
  ExpectRefused(inputs, {"read_timeout", "-1", "ligne 2", "secondes"});

  inputs = {};
  inputs.flags = {{"write_timeout", "0"}};
  ExpectRefused(inputs, {"write_timeout", "--write-timeout"});

  inputs = {};
  inputs.flags = {{"keep_alive_timeout", "5s"}};
  ExpectRefused(inputs, {"keep_alive_timeout", "5s"});

  inputs = {};
  inputs.env = {{"EXPECTMATCH_BODY_LIMIT", "lots"}};
  ExpectRefused(inputs, {"body_limit", "lots", "octets"});

  inputs = {};
  inputs.env = {{"EXPECTMATCH_ACCESS_LOG", "maybe"}};
  ExpectRefused(inputs, {"access_log", "maybe"});

  inputs = {};
  inputs.flags = {{"host", " "}};
  ExpectRefused(inputs, {"host", "vide"});

  // A bad flag is refused even when the environment holds a good value (and vice versa the
  // environment is checked only when it is the one used).
  inputs = {};
  inputs.flags = {{"port", "-1"}};
  inputs.env = {{"EXPECTMATCH_PORT", "8081"}};
  ExpectRefused(inputs, {"port", "-1"});
}

TEST_F(ServeConfiguration, RefusesMalformedFiles) {
  app::ServeInputs inputs;
  inputs.config_file = File("port = 8080\nprot = 8081\n");
  ExpectRefused(inputs, {"clé inconnue", "prot", "ligne 2"});

  inputs.config_file = File("port = 8080\nport = 8081\n");
  ExpectRefused(inputs, {"port", "déjà définie", "ligne 2"});

  inputs.config_file = File("port 8080\n");
  ExpectRefused(inputs, {"clé = valeur", "ligne 1"});

  inputs.config_file = File("[server]\nport = 8080\n");
  ExpectRefused(inputs, {"section inconnue", "[server]"});

  inputs.config_file = (scratch_.path() / "missing.ini").string();
  ExpectRefused(inputs, {"impossible de lire", "missing.ini"});
}

TEST(ServeConfigurationBinary, RefusesABadPortInFrenchBeforeTouchingTheDatabase) {
  testing::ScratchDir scratch;
  const std::filesystem::path db = scratch.path() / "never.db";
  testing::CliRun run = testing::Expectmatch("serve --port 70000 --db " + db.string());
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("erreur : configuration invalide : port = « 70000 » (option --port)"),
            std::string::npos)
      << run.output;
  EXPECT_FALSE(std::filesystem::exists(db));

  testing::CliRun threads = testing::Expectmatch("serve --threads 0 --db " + db.string());
  EXPECT_NE(threads.exit_code, 0);
  EXPECT_NE(threads.output.find(
                "threads = « 0 » (option --threads) : doit être un entier entre 1 et 256"),
            std::string::npos)
      << threads.output;
  EXPECT_FALSE(std::filesystem::exists(db));
}

}  // namespace
}  // namespace expectmatch
