// What the service acknowledged survives a SIGKILL of the server the next instant.
#include <gtest/gtest.h>

#include "expectmatch/datasets/codec.h"
#include "server_process.h"
#include "testutil.h"

#include <httplib.h>

namespace expectmatch {
namespace {

using datasets::Json;

TEST(Durability, AcknowledgedWritesSurviveSigkill) {
  testing::ScratchDir scratch;
  const std::string db = (scratch.path() / "durable.db").string();
  testing::CliRun key = testing::Expectmatch("keys create --role daect --db " + db);
  ASSERT_EQ(key.exit_code, 0) << key.output;
  const std::string secret = key.output.substr(key.output.find("emk_"), 68);
  const std::vector<std::string> args = {"--db", db, "--data", testing::TestData("tiny").string()};

  std::vector<std::string> written;
  for (int cycle = 0; cycle < 3; ++cycle) {
    testing::ServerProcess server(args);
    ASSERT_GT(server.port(), 0);
    httplib::Client client("127.0.0.1", server.port());
    client.set_default_headers({{"Authorization", "Bearer " + secret}});
    // Everything acknowledged before is there, intact.
    for (const std::string& id : written) {
      auto read = client.Get(("/v1/needs/" + id).c_str());
      ASSERT_TRUE(read);
      ASSERT_EQ(read->status, 200) << id;
      EXPECT_EQ(Json::parse(read->body)["status"], "assigned") << id;
    }
    for (int i = 0; i < 5; ++i) {
      std::string id = "n-kill-" + std::to_string(cycle) + "-" + std::to_string(i);
      Json need = Json::parse(R"({"country": "SN", "partner": {"name": "Commune de Louga"},
          "themes": [{"theme": "env.eau", "weight": 1}], "period": {"start": "2027-05-03", "end": "2027-05-07"}})");
      need["id"] = id;
      auto created = client.Post("/v1/needs", need.dump(), "application/json");
      ASSERT_TRUE(created);
      ASSERT_EQ(created->status, 201) << created->body;
      auto decided = client.Post(("/v1/needs/" + id + "/decision").c_str(),
                                 R"({"collectivite": "com-a"})", "application/json");
      ASSERT_TRUE(decided);
      ASSERT_EQ(decided->status, 200) << decided->body;
      written.push_back(id);
    }
    // Killed the instant after the last acknowledgement: no graceful shutdown.
    int status = server.Signal(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status));
  }
  testing::ServerProcess last(args);
  ASSERT_GT(last.port(), 0);
  httplib::Client client("127.0.0.1", last.port());
  client.set_default_headers({{"Authorization", "Bearer " + secret}});
  auto list = client.Get("/v1/needs?status=assigned&limit=200");
  ASSERT_TRUE(list);
  EXPECT_EQ(Json::parse(list->body)["total"], written.size() + 1);  // + n2 of the tiny data set
}

}  // namespace
}  // namespace expectmatch
