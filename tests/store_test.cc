#include <gtest/gtest.h>

#include "expectmatch/matcher/profile.h"
#include "expectmatch/service/profiles.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "testutil.h"

namespace expectmatch::store {
namespace {

using testing::ScratchDir;
using testing::TestData;

TEST(Store, CreatesTheSchemaAndSeedsOnce) {
  ScratchDir scratch;
  const auto db = scratch.path() / "sub" / "test.db";
  {
    Store store(db);
    EXPECT_EQ(store.SchemaVersion(), 11);
    EXPECT_FALSE(store.IsSeeded());
    auto snapshot = service::OpenSnapshot(store, TestData("tiny"));
    EXPECT_TRUE(store.IsSeeded());
    EXPECT_EQ(snapshot->catalogue.collectivites().size(), 7u);
    EXPECT_EQ(store.SeedSource(),
              std::filesystem::absolute(TestData("tiny")).lexically_normal().string());
  }
  // Reopened: the data are still there and the (invalid) seed folder is not read again.
  Store store(db);
  EXPECT_TRUE(store.IsSeeded());
  auto snapshot = service::OpenSnapshot(store, TestData("no-such-folder"));
  EXPECT_EQ(snapshot->catalogue.collectivites().size(), 7u);
  EXPECT_EQ(snapshot->catalogue.needs().size(), 2u);
  EXPECT_EQ(store.Missions().size(), 5u);
  EXPECT_EQ(store.Cooperations().size(), 6u);
}

TEST(Store, KeepsPartnerAliasesAndMergesInOrderAndBumpsTheGeneration) {
  ScratchDir scratch;
  const auto db = scratch.path() / "test.db";
  {
    Store store(db);
    const uint64_t before = store.Generation();
    store.AddPartnerAlias({"SN-fatick", "Mairie de Fatick", "daect", "2026-11-30T10:00:00Z", "k1"});
    store.AddPartnerMerge({"SN-fatik", "SN-fatick", "2026-11-30T10:01:00Z", "k1"});
    store.AddPartnerAlias({"SN-fatick", "FATICK", "decision", "2026-11-30T10:02:00Z", "k2"});
    EXPECT_EQ(store.Generation(), before + 3);
  }
  Store store(db);  // reopened: both survive, in recording order
  std::vector<PartnerAliasRow> aliases = store.PartnerAliases();
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].alias, "Mairie de Fatick");
  EXPECT_EQ(aliases[0].source, "daect");
  EXPECT_EQ(aliases[1].alias, "FATICK");
  EXPECT_EQ(aliases[1].created_by, "k2");
  std::vector<PartnerMergeRow> merges = store.PartnerMerges();
  ASSERT_EQ(merges.size(), 1u);
  EXPECT_EQ(merges[0].from, "SN-fatik");
  EXPECT_EQ(merges[0].into, "SN-fatick");
}

TEST(Store, RefusesToSeedFromAnInvalidDataSetAndStoresNothing) {
  ScratchDir scratch;
  testing::CopyDataset(TestData("tiny"), scratch.path() / "data");
  testing::WriteFile(scratch.path() / "data" / "needs.json", "[{}]");
  Store store(scratch.path() / "test.db");
  try {
    service::OpenSnapshot(store, scratch.path() / "data");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("needs.json[0].id: required field is missing"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(store.IsSeeded());
  EXPECT_TRUE(store.Needs().empty());
}

TEST(Store, ListsNeedsByFilterNewestFirstWithPagination) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  NeedPage all = store.ListNeeds({});
  ASSERT_EQ(all.total, 2u);
  EXPECT_EQ(all.needs[0].id, "n1");  // submitted 2026-10-02, after n2 (2026-09-15)
  EXPECT_EQ(all.needs[1].id, "n2");

  NeedQuery query;
  query.status = "assigned";
  NeedPage assigned = store.ListNeeds(query);
  ASSERT_EQ(assigned.total, 1u);
  EXPECT_EQ(assigned.needs[0].id, "n2");

  query = {};
  query.country = "SN";
  EXPECT_EQ(store.ListNeeds(query).total, 1u);

  query = {};
  query.limit = 1;
  query.offset = 1;
  NeedPage second = store.ListNeeds(query);
  EXPECT_EQ(second.total, 2u);
  ASSERT_EQ(second.needs.size(), 1u);
  EXPECT_EQ(second.needs[0].id, "n2");
  EXPECT_FALSE(store.GetNeed("n3"));
  EXPECT_EQ(store.GetNeed("n1")->country, "SN");
}

TEST(Store, ProfilesGetNewVersionsAndKeepOldOnes) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  // Seeded with the built-in profiles.
  std::vector<ProfileRow> latest = store.LatestProfiles();
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].name, "default");
  EXPECT_EQ(latest[1].name, "ouverture");
  EXPECT_EQ(service::ProfileFromRow(latest[0]).weights, matcher::DefaultProfile().weights);

  EXPECT_EQ(store.SaveProfile("default", "plus d'expertise",
                              R"({"thematic": 1, "country_presence": 0, "partner_history": 0,
      "track_record": 0, "language": 0, "availability": 0})"),
            2);
  EXPECT_EQ(store.GetProfile("default")->version, 2);
  EXPECT_EQ(store.GetProfile("default", 1)->description, matcher::DefaultProfile().description);
  EXPECT_FALSE(store.GetProfile("default", 3));
  EXPECT_EQ(store.ProfileVersions("default").size(), 2u);
  EXPECT_EQ(store.LatestProfiles().size(), 2u);
  // Reopening does not seed again.
  service::EnsureBuiltinProfiles(store);
  EXPECT_EQ(store.ProfileVersions("default").size(), 2u);
}

TEST(Store, ImportUpsertsByIdReplacesLinksAndBumpsTheGeneration) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  const uint64_t before = store.Generation();
  EXPECT_GE(before, 1u);
  SeedDocuments docs;
  docs.collectivites.push_back(
      {"com-a", R"j({"id": "com-a", "name": "Commune A (renommée)"})j", "", "", {}, {}});
  docs.collectivites.push_back(
      {"com-z", R"({"id": "com-z", "name": "Commune Z"})", "", "", {}, {}});
  docs.cooperations.push_back({"com-a", R"({"collectivite": "com-a", "country": "TN"})"});
  store.Import(docs);
  EXPECT_EQ(store.Generation(), before + 1);
  std::vector<Document> collectivites = store.Collectivites();
  ASSERT_EQ(collectivites.size(), 8u);
  EXPECT_EQ(collectivites[0].id, "com-a");  // kept its place
  EXPECT_NE(collectivites[0].json.find("renommée"), std::string::npos);
  EXPECT_EQ(collectivites[7].id, "com-z");
  // com-a's three links were replaced by the one given; the others' are untouched.
  size_t com_a = 0;
  for (const Document& link : store.Cooperations())
    com_a += link.json.find("\"com-a\"") != std::string::npos;
  EXPECT_EQ(com_a, 1u);
  EXPECT_EQ(store.Cooperations().size(), 4u);
}

TEST(Store, RankingLogKeepsEveryRowInOrder) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  store.AppendRankingLog(
      {{"r1", "2026-11-28T10:00:00Z", "default", 1, "n1", "{}", "[]", "", ""},
       {"r2", "2026-11-28T10:00:01Z", "ouverture", 1, "n2", "{}", "[]", "", ""}});
  EXPECT_EQ(store.RankingLogSize(), 2u);
  std::vector<RankingLogRow> recent = store.RecentRankingLog(1);
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].request_id, "r2");
  EXPECT_EQ(recent[0].profile, "ouverture");
  // A duplicate request id fails the whole batch, which is rolled back.
  EXPECT_THROW(store.AppendRankingLog({{"r3", "t", "default", 1, "n1", "{}", "[]", "", ""},
                                       {"r1", "t", "default", 1, "n1", "{}", "[]", "", ""}}),
               StoreError);
  EXPECT_EQ(store.RankingLogSize(), 2u);
}

// Key lookups go through a second, read-only connection (store.h): it must see every change the
// main connection commits at once, a revocation above all, in this store and in another one
// (another process: `expectmatch keys revoke` while the server runs).
TEST(Store, KeyLookupsSeeEveryCommittedChangeAtOnce) {
  ScratchDir dir;
  Store store(dir.path() / "keys.db");
  Store other(dir.path() / "keys.db");
  EXPECT_FALSE(store.FindApiKeyByHash("h1"));
  store.InsertApiKey({"k_00000001", "h1", "daect", "", "first", "2026-11-28T10:00:00Z", "", ""});
  ASSERT_TRUE(store.FindApiKeyByHash("h1"));
  EXPECT_EQ(store.FindApiKeyByHash("h1")->revoked_at, "");
  for (int round = 0; round < 3; ++round) {  // the prepared statement is reused and reset
    other.InsertApiKey({"k_0000001" + std::to_string(round), "h2-" + std::to_string(round),
                        "embassy", "MA", "", "2026-11-28T10:00:00Z", "", ""});
    auto found = store.FindApiKeyByHash("h2-" + std::to_string(round));
    ASSERT_TRUE(found) << round;
    EXPECT_EQ(found->country, "MA");
  }
  ASSERT_TRUE(store.RevokeApiKey("k_00000001"));
  EXPECT_NE(store.FindApiKeyByHash("h1")->revoked_at, "");
  ASSERT_TRUE(other.RevokeApiKey("k_00000010"));
  EXPECT_NE(store.FindApiKeyByHash("h2-0")->revoked_at, "");
  EXPECT_EQ(store.FindApiKeyByHash("h2-1")->revoked_at, "");
}

TEST(Store, KeyLookupsWorkOnAnInMemoryStore) {
  Store store(":memory:");  // no second connection can share it: the main one answers
  store.InsertApiKey({"k_00000001", "h1", "analyst", "", "", "2026-11-28T10:00:00Z", "", ""});
  ASSERT_TRUE(store.FindApiKeyByHash("h1"));
  EXPECT_EQ(store.FindApiKeyByHash("h1")->role, "analyst");
  EXPECT_FALSE(store.FindApiKeyByHash("h2"));
}

}  // namespace
}  // namespace expectmatch::store
