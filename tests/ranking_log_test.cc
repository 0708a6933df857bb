// The ranking log on a live server: what each served ranking was computed with (the effective
// weights and options), read back by the tuning-from-the-database path (`expectmatch evaluate
// --db`).
#include <gtest/gtest.h>

#include <string>

#include "expectmatch/datasets/codec.h"
#include "live_server.h"
#include "testutil.h"

namespace expectmatch {
namespace {

using datasets::Json;

// The JSON document `expectmatch ... --json` printed after its stderr lines.
Json JsonOf(const std::string& output) {
  size_t at = output.rfind("\n{");
  return Json::parse(output.substr(output.rfind('{', 0) == 0 ? 0 : at + 1));
}

constexpr const char* kNeed =
    R"({"id": "n-log-1", "country": "SN", "partner": {"name": "Commune de Louga"},
    "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
    "period": {"start": "2027-05-03", "end": "2027-05-07"}, "description": "Eau de Louga."})";

TEST(RankingLogServed, TuningFromTheDatabaseReadsTheWeightsARankingWasServedWith) {
  testing::InProcessServer server{api::ServerOptions{}};
  ASSERT_TRUE(server.bound);
  httplib::Client client = server.Client(server.daect.secret);
  ASSERT_EQ(client.Post("/v1/needs", kNeed, "application/json")->status, 201);
  // The web page's slider: the default profile with the language weight moved to 1.
  auto served = client.Post(
      "/v1/match",
      R"({"need_id": "n-log-1", "weights": {"language": 1}, "max_per_region": 1, "k": 3})",
      "application/json");
  ASSERT_EQ(served->status, 200) << served->body;
  Json ranking = Json::parse(served->body);
  const Json effective = ranking["profile"]["weights"];
  ASSERT_EQ(effective["language"], 1.0);
  const std::string selected = ranking["candidates"][0]["collectivite"]["id"];
  ASSERT_EQ(client
                .Post("/v1/needs/n-log-1/decision", Json{{"collectivite", selected}}.dump(),
                      "application/json")
                ->status,
            200);
  server.log->Flush();

  // The row says what was served, not only "default v1".
  store::RankingLogRow row = server.store->RecentRankingLog(1).at(0);
  ASSERT_EQ(row.need_id, "n-log-1");
  Json logged = Json::parse(row.served);
  EXPECT_EQ(logged["weights"], effective);
  EXPECT_EQ(logged["overridden"], Json::array({"language"}));
  EXPECT_EQ(logged["k"], 3);
  EXPECT_EQ(logged["max_per_region"], 1);

  // The tuning path reads the ranking back with the effective weights.
  const std::string db = (server.scratch.path() / "server.db").string();
  testing::CliRun run = testing::Expectmatch("evaluate --db " + db + " --profile @served --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("1 classements servis avec des pondérations modifiées"),
            std::string::npos)
      << run.output;
  Json report = JsonOf(run.output);
  ASSERT_EQ(report["profiles"].size(), 1u) << run.output;
  const Json& groups = report["profiles"][0]["served"];
  bool found = false;
  for (const Json& group : groups) found = found || group["weights"] == effective;
  EXPECT_TRUE(found) << groups.dump();
  EXPECT_NE(effective, Json::parse(R"({"thematic": 0.3, "country_presence": 0.15,
      "partner_history": 0.1, "track_record": 0.2, "language": 0.1, "availability": 0.15})"));
}

}  // namespace
}  // namespace expectmatch
