// The ranking log on a live server: what each served ranking was computed with (the effective
// weights and options), read back by the tuning-from-the-database path (`expectmatch evaluate
// --db`); stored needs by reference, inline needs whole; the retention by age and size.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/ranking_log.h"
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

TEST(RankingLogServed, StoredNeedsAreLoggedByReferenceAndInlineNeedsWhole) {
  testing::InProcessServer server{api::ServerOptions{}};
  ASSERT_TRUE(server.bound);
  httplib::Client client = server.Client(server.daect.secret);
  ASSERT_EQ(client.Post("/v1/match", R"({"need_id": "n1"})", "application/json")->status, 200);
  server.log->Flush();
  store::RankingLogRow stored = server.store->RecentRankingLog(1).at(0);
  EXPECT_EQ(stored.need_id, "n1");
  EXPECT_EQ(stored.need, "");
  EXPECT_EQ(stored.need_hash, service::StoredNeedDigest(server.store->GetNeed("n1")->json));
  const size_t by_reference = server.store->RankingLogBytes();
  EXPECT_LT(by_reference, 1500u) << "bytes of one row with a stored need";

  auto inline_need = client.Post(
      "/v1/match", R"({"need": {"id": "n-inline", "country": "SN", "partner": {"name": "P"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})",
      "application/json");
  ASSERT_EQ(inline_need->status, 200) << inline_need->body;
  server.log->Flush();
  store::RankingLogRow whole = server.store->RecentRankingLog(1).at(0);
  EXPECT_EQ(Json::parse(whole.need)["id"], "n-inline");
  EXPECT_EQ(whole.need_hash.size(), 64u);
  EXPECT_EQ(server.store->RankingLogBytes(),
            by_reference + whole.request_id.size() + whole.served_at.size() + whole.profile.size() +
                whole.need_id.size() + whole.need.size() + whole.candidates.size() +
                whole.served.size() + whole.need_hash.size());
}

TEST(SnapshotNeedDigest, EachCatalogueNeedIsHashedOnceAsTheStoreHoldsIt) {
  testing::InProcessServer server{api::ServerOptions{}};
  ASSERT_TRUE(server.bound);
  std::shared_ptr<const service::Snapshot> snapshot =
      service::OpenSnapshot(*server.store, testing::TestData("tiny"));
  const std::vector<matcher::Need>& needs = snapshot->catalogue.needs();
  ASSERT_GE(needs.size(), 2u);
  // Asked from several threads at once, each need's hash is computed once, and is the hash of
  // that need's document as stored (what tuning compares it with).
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> threads;
  for (auto& digests : seen) {
    threads.emplace_back([&snapshot, &digests, count = needs.size()] {
      for (size_t i = 0; i < count; ++i) digests.push_back(snapshot->CatalogueNeedDigest(i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (size_t i = 0; i < needs.size(); ++i) {
    const std::string expected = service::StoredNeedDigest(server.store->GetNeed(needs[i].id)->json);
    ASSERT_EQ(expected.size(), 64u) << needs[i].id;
    for (const auto& digests : seen) EXPECT_EQ(digests[i], expected) << needs[i].id;
    EXPECT_EQ(&snapshot->CatalogueNeedDigest(i), &snapshot->CatalogueNeedDigest(i));
    distinct.insert(expected);
  }
  EXPECT_EQ(distinct.size(), needs.size());
}

TEST(RankingLogServed, TuningResolvesAStoredNeedAndTellsWhenItChangedSince) {
  testing::InProcessServer server{api::ServerOptions{}};
  ASSERT_TRUE(server.bound);
  httplib::Client client = server.Client(server.daect.secret);
  Json need = Json::parse(kNeed);
  for (const char* id : {"n-log-same", "n-log-edited"}) {
    need["id"] = id;
    ASSERT_EQ(client.Post("/v1/needs", need.dump(), "application/json")->status, 201);
    auto ranked = client.Post("/v1/match", Json{{"need_id", id}}.dump(), "application/json");
    ASSERT_EQ(ranked->status, 200);
    const std::string top = Json::parse(ranked->body)["candidates"][0]["collectivite"]["id"];
    if (std::string(id) == "n-log-edited") {
      auto edited =
          client.Patch(std::string("/v1/needs/") + id,
                       R"({"description": "Eau et assainissement de Louga."})", "application/json");
      ASSERT_EQ(edited->status, 200) << edited->body;
    }
    ASSERT_EQ(client
                  .Post(std::string("/v1/needs/") + id + "/decision",
                        Json{{"collectivite", top}}.dump(), "application/json")
                  ->status,
              200);
  }
  server.log->Flush();
  const std::string db = (server.scratch.path() / "server.db").string();
  testing::CliRun run = testing::Expectmatch("evaluate --db " + db + " --profile default --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(JsonOf(run.output)["needs"], 2) << run.output;  // both resolved and counted
  EXPECT_NE(run.output.find("attention : 1 besoins modifiés depuis leur classement journalisé"),
            std::string::npos)
      << run.output;
}

store::RankingLogRow LogRow(const std::string& id, const std::string& served_at) {
  return {id, served_at, "default", 1, "n1", "", std::string(1000, 'c'), "{}", "h"};
}

TEST(RankingLogRetention, OldRowsGoAndTheSizeIsCappedOldestFirst) {
  testing::ScratchDir scratch;
  store::Store store(scratch.path() / "log.db");
  std::vector<store::RankingLogRow> rows;
  for (int i = 0; i < 1200; ++i)  // older than 400 days
    rows.push_back(LogRow("old" + std::to_string(i), "2020-01-01T00:00:00Z"));
  for (int i = 0; i < 10; ++i)
    rows.push_back(
        LogRow("new" + std::to_string(i), "2099-01-01T00:00:0" + std::to_string(i) + "Z"));
  store.AppendRankingLog(rows);
  // Each new row: its fields' bytes ("new0", the time, "default", "n1", the candidates, "{}", "h").
  const size_t row_bytes = 4 + 20 + 7 + 2 + 1000 + 2 + 1;
  {
    service::RankingLogOptions options;
    options.retention_days = 400;
    options.trim_every = std::chrono::hours(1);
    service::RankingLog log(store, options);
    // The writer thread applies the retention at start, in chunks, without being asked.
    EXPECT_TRUE(testing::WaitFor([&] { return log.trimmed() == 1200; })) << log.trimmed();
    EXPECT_EQ(store.RankingLogSize(), 10u);
  }
  EXPECT_EQ(store.RankingLogBytes(), 10 * row_bytes);
  // A size cap of four rows keeps the four newest.
  service::RankingLogOptions capped;
  capped.retention_days = 0;
  capped.max_bytes = 4 * row_bytes;
  capped.trim_every = std::chrono::hours(1);
  service::RankingLog log(store, capped);
  log.Flush();
  log.Trim();
  ASSERT_EQ(store.RankingLogSize(), 4u);
  EXPECT_EQ(store.RecentRankingLog(4).back().request_id, "new6");
  EXPECT_LE(store.RankingLogBytes(), capped.max_bytes);
}

// Rows recorded within one linger are committed together: one transaction (and fsync) for the
// lot, not one per request.
TEST(RankingLogBatching, RowsOfOneLingerAreWrittenInOneTransaction) {
  testing::ScratchDir scratch;
  store::Store store(scratch.path() / "log.db");
  service::RankingLogOptions options;
  options.retention_days = 0;
  options.linger = std::chrono::seconds(4);  // far longer than the 20 rows take to record
  service::RankingLog log(store, options);
  // Requests 10 ms apart: without the linger, the writer would wake and commit for each.
  for (int i = 0; i < 20; ++i) {
    log.Record(LogRow("row" + std::to_string(i), "2099-01-01T00:00:00Z"));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Written without Flush, once the linger is over (the count follows the commit).
  ASSERT_TRUE(testing::WaitFor([&] { return log.batches() == 1; }, std::chrono::seconds(20)));
  EXPECT_EQ(store.RankingLogSize(), 20u);
  EXPECT_EQ(store.RecentRankingLog(1).at(0).request_id, "row19");
}

// A full batch does not wait for its linger; Flush and the destructor do not either.
TEST(RankingLogBatching, FullBatchesFlushAndStopDoNotWaitForTheLinger) {
  testing::ScratchDir scratch;
  store::Store store(scratch.path() / "log.db");
  service::RankingLogOptions options;
  options.retention_days = 0;
  options.linger = std::chrono::hours(1);
  options.batch_rows = 10;
  {
    service::RankingLog log(store, options);
    for (int i = 0; i < 10; ++i)
      log.Record(LogRow("row" + std::to_string(i), "2099-01-01T00:00:00Z"));
    ASSERT_TRUE(testing::WaitFor([&] { return log.batches() == 1; }));
    EXPECT_EQ(store.RankingLogSize(), 10u);
    for (int i = 10; i < 13; ++i)
      log.Record(LogRow("row" + std::to_string(i), "2099-01-01T00:00:00Z"));
    log.Flush();  // the three, an hour before their linger ends
    EXPECT_EQ(store.RankingLogSize(), 13u);
    EXPECT_EQ(log.batches(), 2u);
    log.Record(LogRow("last", "2099-01-01T00:00:00Z"));
  }  // the destructor writes the row still lingering
  EXPECT_EQ(store.RankingLogSize(), 14u);
  EXPECT_EQ(store.RecentRankingLog(1).at(0).request_id, "last");
}

// The ranking log's request ids: 32 hex digits, the milliseconds first, so that a later id sorts
// after (the unique index then grows at its end), and distinct within a millisecond.
TEST(RankingLogBatching, RequestIdsSortByTimeAndDoNotRepeat) {
  const auto millis = [] {
    return static_cast<unsigned long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  };
  const unsigned long long before = millis();
  const std::string first = service::NewTimeOrderedId();
  const unsigned long long after = millis();
  ASSERT_EQ(first.size(), 32u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef"), std::string::npos) << first;
  const unsigned long long stamped = std::stoull(first.substr(0, 12), nullptr, 16);
  EXPECT_GE(stamped, before);
  EXPECT_LE(stamped, after);
  std::set<std::string> seen{first};
  std::string previous = first;
  for (int i = 0; i < 20000; ++i) {
    std::string id = service::NewTimeOrderedId();
    EXPECT_GE(id.substr(0, 12), previous.substr(0, 12));
    EXPECT_TRUE(seen.insert(id).second) << id;
    previous = std::move(id);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_GT(service::NewTimeOrderedId(), previous);
}

}  // namespace
}  // namespace expectmatch
