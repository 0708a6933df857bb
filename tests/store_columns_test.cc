// The columns the store keeps beside its documents follow every write path (seed, import, insert,
// compare-and-set update, accepted assignment) and a database of the previous schema version.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/store/store.h"
#include "expectmatch/store_rows/store_rows.h"
#include "testutil.h"

namespace expectmatch::store {
namespace {

using store_rows::NeedRowFor;
using testing::ScratchDir;
using testing::TestData;

matcher::Dataset Tiny() {
  datasets::LoadResult loaded = datasets::LoadDatasetDir(TestData("tiny"));
  EXPECT_TRUE(loaded.ok());
  return loaded.dataset;
}

const matcher::Need& NeedOf(const matcher::Dataset& data, const std::string& id) {
  return *std::find_if(data.needs.begin(), data.needs.end(),
                       [&](const matcher::Need& n) { return n.id == id; });
}

using IdList = std::vector<std::string>;

IdList Ids(const NeedPage& page) {
  std::vector<std::string> out;
  for (const NeedRow& row : page.needs) out.push_back(row.id);
  return out;
}

IdList Ids(const DocumentPage& page) {
  std::vector<std::string> out;
  for (const Document& doc : page.items) out.push_back(doc.id);
  return out;
}

IdList Ids(const std::vector<Document>& docs) {
  std::vector<std::string> out;
  for (const Document& doc : docs) out.push_back(doc.id);
  return out;
}

NeedPage NeedsWithTheme(Store& store, const std::string& theme) {
  NeedQuery query;
  query.theme = theme;
  return store.ListNeeds(query);
}

NeedPage NeedsOverlapping(Store& store, std::optional<std::string> from,
                          std::optional<std::string> to) {
  NeedQuery query;
  query.period_from = std::move(from);
  query.period_to = std::move(to);
  return store.ListNeeds(query);
}

CollectiviteQuery Where(std::optional<std::string> region, std::optional<std::string> kind,
                        std::optional<std::string> theme, std::optional<std::string> language) {
  CollectiviteQuery query;
  query.region = std::move(region);
  query.kind = std::move(kind);
  query.theme = std::move(theme);
  query.language = std::move(language);
  return query;
}

// A stored need row holds exactly the columns its record gives.
void ExpectRowOf(Store& store, const matcher::Need& need) {
  std::optional<NeedRow> row = store.GetNeed(need.id);
  ASSERT_TRUE(row) << need.id;
  NeedRow expected = NeedRowFor(need);
  EXPECT_EQ(row->country, expected.country) << need.id;
  EXPECT_EQ(row->status, expected.status) << need.id;
  EXPECT_EQ(row->submitted_at, expected.submitted_at) << need.id;
  EXPECT_EQ(row->period_start, expected.period_start) << need.id;
  EXPECT_EQ(row->period_end, expected.period_end) << need.id;
  EXPECT_EQ(row->themes, expected.themes) << need.id;
  EXPECT_EQ(row->selected, expected.selected) << need.id;
}

// What every filter of the tiny data set answers, as stored by seeding.
void ExpectTinyFilters(Store& store) {
  const matcher::Dataset tiny = Tiny();
  for (const matcher::Need& need : tiny.needs) ExpectRowOf(store, need);
  EXPECT_EQ(store.GetNeed("n1")->themes, (IdList{"env.eau", "agri.irrigation"}));
  EXPECT_EQ(store.GetNeed("n2")->selected, "com-a");

  EXPECT_EQ(Ids(NeedsWithTheme(store, "env.eau")), (IdList{"n1", "n2"}));
  EXPECT_EQ(Ids(NeedsWithTheme(store, "agri.irrigation")), (IdList{"n1"}));
  EXPECT_EQ(NeedsWithTheme(store, "env").total, 0u);  // exactly the theme named
  EXPECT_EQ(Ids(NeedsOverlapping(store, "2027-03-05", std::nullopt)), (IdList{"n1", "n2"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, "2027-03-06", std::nullopt)), (IdList{"n2"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, std::nullopt, "2027-06-06")), (IdList{"n1"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, "2027-03-06", "2027-06-07")), (IdList{"n2"}));

  EXPECT_EQ(
      Ids(store.ListCollectivites(Where("Bretagne", std::nullopt, std::nullopt, std::nullopt))),
      (IdList{"com-a", "com-f"}));
  EXPECT_EQ(
      Ids(store.ListCollectivites(Where(std::nullopt, "departement", std::nullopt, std::nullopt))),
      (IdList{"dep-c"}));
  EXPECT_EQ(Ids(store.ListCollectivites(Where(std::nullopt, std::nullopt, "env", std::nullopt))),
            (IdList{"dep-c"}));
  EXPECT_EQ(Ids(store.ListCollectivites(
                Where(std::nullopt, std::nullopt, "agri.irrigation", std::nullopt))),
            (IdList{"com-a", "com-b"}));
  EXPECT_EQ(Ids(store.ListCollectivites(Where(std::nullopt, std::nullopt, std::nullopt, "en"))),
            (IdList{"com-b", "dep-c"}));
  EXPECT_EQ(Ids(store.ListCollectivites(Where("Bretagne", "commune", "env.eau", "fr"))),
            (IdList{"com-a", "com-f"}));
  EXPECT_EQ(store.ListCollectivites(Where("Occitanie", std::nullopt, std::nullopt, "es")).total,
            0u);

  EXPECT_EQ(Ids(store.MissionsOfNeed("n-2025-001")), (IdList{"m-a1"}));
  EXPECT_TRUE(store.MissionsOfNeed("").empty());  // m-a2 serves no need
}

TEST(StoreColumns, SeedFillsTheColumnsOfEveryRecord) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  ExpectTinyFilters(store);
}

TEST(StoreColumns, InsertAndCompareAndSetUpdateMoveTheNeedFilters) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  const matcher::Dataset tiny = Tiny();

  matcher::Need n3 = NeedOf(tiny, "n1");
  n3.id = "n3";
  n3.themes = {{"culture.musees", 1.0}};
  n3.period = {*matcher::ParseIsoDate("2028-01-10"), *matcher::ParseIsoDate("2028-01-12")};
  ASSERT_TRUE(store.InsertNeed(NeedRowFor(n3)));
  ExpectRowOf(store, n3);
  EXPECT_EQ(Ids(NeedsWithTheme(store, "culture.musees")), (IdList{"n3"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, "2028-01-01", std::nullopt)), (IdList{"n3"}));

  // n1 moves to another period and theme, and gets an authority.
  matcher::Need n1 = NeedOf(tiny, "n1");
  const std::string before = store.GetNeed("n1")->json;
  n1.themes = {{"culture.musees", 1.0}};
  n1.period = {*matcher::ParseIsoDate("2029-05-01"), *matcher::ParseIsoDate("2029-05-02")};
  n1.status = matcher::NeedStatus::kAssigned;
  n1.selected = "com-e";
  ASSERT_TRUE(store.UpdateNeed(NeedRowFor(n1), before,
                               DecisionRow{"n1", "com-e", "2026-11-28T10:00:00Z", "k_test", ""}));
  ExpectRowOf(store, n1);
  EXPECT_EQ(Ids(NeedsWithTheme(store, "env.eau")), (IdList{"n2"}));
  EXPECT_EQ(NeedsWithTheme(store, "agri.irrigation").total, 0u);
  EXPECT_EQ(Ids(NeedsWithTheme(store, "culture.musees")), (IdList{"n1", "n3"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, "2029-01-01", std::nullopt)), (IdList{"n1"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, std::nullopt, "2027-12-31")), (IdList{"n2"}));

  // A failed compare-and-set writes no column either.
  matcher::Need stale = NeedOf(tiny, "n1");
  EXPECT_FALSE(store.UpdateNeed(NeedRowFor(stale), before));
  ExpectRowOf(store, n1);

  // A row read, changed and written back keeps its columns.
  NeedRow read = *store.GetNeed("n1");
  NeedRow changed = read;
  changed.json = NeedRowFor(n1).json + " ";
  ASSERT_TRUE(store.UpdateNeed(changed, read.json));
  ExpectRowOf(store, n1);
}

TEST(StoreColumns, ImportReplacesTheColumnsOfTheRecordsItUpserts) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  matcher::Dataset tiny = Tiny();

  matcher::Dataset changed;
  matcher::Collectivite com_a = tiny.collectivites[0];
  ASSERT_EQ(com_a.id, "com-a");
  com_a.region = "Normandie";
  com_a.kind = matcher::CollectiviteKind::kEpci;
  com_a.labels = {{"culture.musees", *matcher::ParseIsoDate("2020-01-01"), std::nullopt}};
  com_a.languages = {"de"};
  changed.collectivites.push_back(com_a);
  matcher::Mission m_a2 = *std::find_if(tiny.missions.begin(), tiny.missions.end(),
                                        [](const matcher::Mission& m) { return m.id == "m-a2"; });
  m_a2.need = "n2";
  changed.missions.push_back(m_a2);
  matcher::Need n2 = NeedOf(tiny, "n2");
  n2.themes = {{"agri.irrigation", 1.0}};
  n2.period.end = *matcher::ParseIsoDate("2027-07-01");
  n2.selected = "com-b";
  changed.needs.push_back(n2);
  matcher::Cooperation link = tiny.cooperations[0];
  link.collectivite = "com-g";
  changed.cooperations.push_back(link);
  store.Import(store_rows::SeedDocumentsFor(changed, ""));

  EXPECT_EQ(
      Ids(store.ListCollectivites(Where("Bretagne", std::nullopt, std::nullopt, std::nullopt))),
      (IdList{"com-f"}));
  EXPECT_EQ(Ids(store.ListCollectivites(Where("Normandie", "epci", "culture.musees", "de"))),
            (IdList{"com-a"}));
  EXPECT_EQ(Ids(store.ListCollectivites(
                Where(std::nullopt, std::nullopt, "agri.irrigation", std::nullopt))),
            (IdList{"com-b"}));
  EXPECT_EQ(store.ListCollectivites(Where(std::nullopt, std::nullopt, std::nullopt, "fr")).total,
            5u);

  EXPECT_EQ(Ids(store.MissionsOfNeed("n2")), (IdList{"m-a2"}));
  ExpectRowOf(store, n2);
  EXPECT_EQ(Ids(NeedsWithTheme(store, "agri.irrigation")), (IdList{"n1", "n2"}));
  EXPECT_EQ(Ids(NeedsOverlapping(store, "2027-06-30", std::nullopt)), (IdList{"n2"}));

  // The link now belongs to com-g: importing com-g's links again replaces it.
  matcher::Dataset again;
  link.country = "TN";
  again.cooperations.push_back(link);
  const size_t links = store.Cooperations().size();
  store.Import(store_rows::SeedDocumentsFor(again, ""));
  EXPECT_EQ(store.Cooperations().size(), links);
}

TEST(StoreColumns, AcceptedAssignmentsWriteTheColumnsOfEveryNeed) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  const matcher::Dataset tiny = Tiny();
  store.InsertAssignment({"a1", "2026-11-28T10:00:00Z", "k_test", "{}", "{}", "{}", "", ""});
  matcher::Need n1 = NeedOf(tiny, "n1");
  const std::string before = store.GetNeed("n1")->json;
  n1.status = matcher::NeedStatus::kAssigned;
  n1.selected = "com-b";
  n1.themes.pop_back();
  NeedUpdate update;
  update.row = NeedRowFor(n1);
  update.expected = before;
  update.decision = DecisionRow{"n1", "com-b", "2026-11-28T10:00:00Z", "k_test", ""};
  AcceptOutcome outcome =
      store.AcceptAssignment("a1", {update}, "2026-11-28T10:00:00Z", "k_test");
  ASSERT_TRUE(outcome.accepted);
  ExpectRowOf(store, n1);
  EXPECT_EQ(NeedsWithTheme(store, "agri.irrigation").total, 0u);
}

// The tuning query joins the need's selected authority and its mission's rating by column.
TEST(StoreColumns, LoggedDecisionsFollowTheSelectionAndTheRating) {
  ScratchDir scratch;
  Store store(scratch.path() / "test.db");
  service::OpenSnapshot(store, TestData("tiny"));
  const matcher::Dataset tiny = Tiny();
  store.AppendRankingLog({{"r1", "2026-01-01T10:00:00Z", "default", 1, "n1", "{}", "[]", "", ""}});
  matcher::Need n1 = NeedOf(tiny, "n1");
  n1.status = matcher::NeedStatus::kAssigned;
  n1.selected = "dep-c";
  ASSERT_TRUE(store.UpdateNeed(NeedRowFor(n1), store.GetNeed("n1")->json,
                               DecisionRow{"n1", "dep-c", "2026-01-03T09:00:00Z", "k_test", ""}));
  ASSERT_EQ(store.LoggedDecisions().size(), 1u);
  EXPECT_EQ(store.LoggedDecisions()[0].rating, std::nullopt);

  matcher::Mission mission{"m-n1",
                           "n1",
                           "dep-c",
                           "SN",
                           {"env.dechets"},
                           *matcher::ParseIsoDate("2026-02-02"),
                           *matcher::ParseIsoDate("2026-02-05"),
                           std::nullopt,
                           3,
                           {}};
  matcher::Dataset write;
  write.missions.push_back(mission);
  store.Import(store_rows::SeedDocumentsFor(write, ""));
  EXPECT_EQ(store.LoggedDecisions()[0].rating, std::optional<int>(3));
  write.missions[0].rating = std::nullopt;
  store.Import(store_rows::SeedDocumentsFor(write, ""));
  EXPECT_EQ(store.LoggedDecisions()[0].rating, std::nullopt);

  // Another authority selected without a new decision: the decision no longer stands.
  n1.selected = "com-b";
  ASSERT_TRUE(store.UpdateNeed(NeedRowFor(n1), store.GetNeed("n1")->json));
  EXPECT_TRUE(store.LoggedDecisions().empty());
}

void Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
}

// A database of schema version 5 (before the columns existed) opens with its columns filled
// from the documents it holds.
TEST(StoreColumns, MigrationFillsTheColumnsOfAnExistingDatabase) {
  ScratchDir scratch;
  const auto db = scratch.path() / "test.db";
  const matcher::Dataset tiny = Tiny();
  {
    Store store(db);
    service::OpenSnapshot(store, TestData("tiny"));
    // A standing decision on n2 (com-a, as the data set says) with a rated mission.
    store.AppendRankingLog(
        {{"r1", "2026-01-01T10:00:00Z", "default", 1, "n2", "{}", "[]", "", ""}});
    const std::string n2 = store.GetNeed("n2")->json;
    ASSERT_TRUE(store.UpdateNeed(NeedRowFor(NeedOf(tiny, "n2")), n2,
                                 DecisionRow{"n2", "com-a", "2026-01-03T09:00:00Z", "k_test", ""}));
    matcher::Dataset write;
    write.missions.push_back({"m-n2",
                              "n2",
                              "com-a",
                              "MA",
                              {"env.eau"},
                              *matcher::ParseIsoDate("2026-02-02"),
                              *matcher::ParseIsoDate("2026-02-05"),
                              std::nullopt,
                              4,
                              {}});
    store.Import(store_rows::SeedDocumentsFor(write, ""));
  }
  {
    // Back to version 5: what the migrations since added, removed.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    Exec(raw, R"sql(
      DROP TABLE collectivite_label_themes;
      DROP TABLE collectivite_languages;
      DROP TABLE need_themes;
      DROP INDEX missions_by_need;
      ALTER TABLE collectivites DROP COLUMN region;
      ALTER TABLE collectivites DROP COLUMN kind;
      ALTER TABLE missions DROP COLUMN need;
      ALTER TABLE missions DROP COLUMN collectivite;
      ALTER TABLE missions DROP COLUMN rating;
      ALTER TABLE needs DROP COLUMN period_start;
      ALTER TABLE needs DROP COLUMN period_end;
      ALTER TABLE needs DROP COLUMN selected;
      ALTER TABLE ranking_log DROP COLUMN served;
      ALTER TABLE ranking_log DROP COLUMN need_hash;
      ALTER TABLE ranking_log DROP COLUMN bytes;
      DELETE FROM meta WHERE key = 'ranking_log_bytes';
      DROP TABLE partner_aliases;
      DROP TABLE partner_merges;
      ALTER TABLE api_keys DROP COLUMN collectivite;
      DROP TABLE proposals;
      DROP TABLE outbox;
      DROP TABLE report_documents;
      DROP TABLE reports;
      DROP TABLE label_applications;
      DROP TABLE application_documents;
      DROP TABLE label_history;
      PRAGMA user_version = 5;
    )sql");
    sqlite3_close(raw);
  }
  Store store(db);
  EXPECT_EQ(store.SchemaVersion(), 11);
  ExpectTinyFilters(store);
  EXPECT_EQ(Ids(store.MissionsOfNeed("n2")), (IdList{"m-n2"}));
  std::vector<LoggedDecisionRow> decisions = store.LoggedDecisions();
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].need_id, "n2");
  EXPECT_EQ(decisions[0].rating, std::optional<int>(4));
}

}  // namespace
}  // namespace expectmatch::store
