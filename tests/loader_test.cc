#include <gtest/gtest.h>

#include <algorithm>

#include "expectmatch/datasets/loader.h"
#include "testutil.h"

namespace expectmatch::datasets {
namespace {

using testing::CopyDataset;
using testing::ReadFile;
using testing::ScratchDir;
using testing::TestData;
using testing::WriteFile;

// Applies `edit` to one file of a copy of the tiny data set.
void EditJson(const std::filesystem::path& dir, const std::string& file,
              const std::function<void(Json&)>& edit) {
  Json json = Json::parse(ReadFile(dir / file));
  edit(json);
  WriteFile(dir / file, json.dump(2));
}

bool HasError(const LoadResult& result, const std::string& error) {
  return std::find(result.errors.begin(), result.errors.end(), error) != result.errors.end();
}

std::string AllErrors(const LoadResult& result) {
  std::string out;
  for (const auto& e : result.errors) out += e + "\n";
  return out;
}

TEST(Loader, LoadsTheTinyDataSet) {
  LoadResult result = LoadDatasetDir(TestData("tiny"));
  ASSERT_TRUE(result.ok()) << AllErrors(result);
  EXPECT_EQ(result.dataset.themes.size(), 7u);
  EXPECT_EQ(result.dataset.collectivites.size(), 7u);
  EXPECT_EQ(result.dataset.cooperations.size(), 6u);
  EXPECT_EQ(result.dataset.missions.size(), 5u);
  EXPECT_EQ(result.dataset.needs.size(), 2u);
  EXPECT_FALSE(result.dataset.collectivites[1].labels[2].CoversPeriod(
      *matcher::ParseIsoDate("2027-03-01"), *matcher::ParseIsoDate("2027-03-05")));
}

TEST(Loader, ReportsEveryErrorWithItsFileRecordAndField) {
  ScratchDir scratch;
  CopyDataset(TestData("tiny"), scratch.path());
  EditJson(scratch.path(), "themes.json", [](Json& j) {
    j.push_back({{"id", "x.y"}, {"label", "X"}, {"parent", "nope"}});
  });
  EditJson(scratch.path(), "collectivites.json", [](Json& j) {
    j[0]["kind"] = "ville";
    j[1]["labels"][0]["theme"] = "patrimoine.musee";
    j[2]["region"] = "Aquitaine";
    j[3].erase("capacity_per_year");
    j[4]["languages"] = {"french"};
    j[5]["labels"][0]["until"] = "2017-01-01";
    j[6]["experts"] = "beaucoup";
  });
  EditJson(scratch.path(), "cooperations.json", [](Json& j) {
    j[0]["country"] = "XX";
    j[1]["collectivite"] = "com-zz";
    j[2]["partner"].erase("name");
  });
  EditJson(scratch.path(), "missions.json", [](Json& j) {
    j[0]["start"] = "2024-02-30";
    j[1]["rating"] = 7;
    j[2]["id"] = "m-b1";
    j[3]["report_delivered"] = "2026-01-01";
  });
  EditJson(scratch.path(), "needs.json", [](Json& j) {
    j[0]["themes"][1]["weight"] = -1;
    j[0]["period"]["end"] = "2027-02-01";
    j[1]["status"] = "done";
    j[1]["selected"] = "com-zz";
  });

  LoadResult result = LoadDatasetDir(scratch.path());
  EXPECT_FALSE(result.ok());
  const std::vector<std::string> expected = {
      R"(themes.json[7].id: id "x.y" must start with its parent's id "nope.")",
      R"(themes.json[7].parent: unknown parent theme "nope")",
      R"(collectivites.json[0].kind: unknown kind "ville", expected one of region, departement, commune, epci, association)",
      R"(collectivites.json[1].labels[0].theme: unknown theme "patrimoine.musee")",
      R"(collectivites.json[2].region: unknown French région "Aquitaine")",
      R"(collectivites.json[3].capacity_per_year: required field is missing)",
      R"(collectivites.json[4].languages[0]: unknown language "french", expected an ISO 639-1 code such as "fr")",
      R"(collectivites.json[5].labels[0].until: is before since)",
      R"(collectivites.json[6].experts: expected an integer, got a string)",
      R"(cooperations.json[0].country: unknown country "XX", expected an ISO 3166-1 alpha-2 code such as "SN")",
      R"(cooperations.json[1].collectivite: unknown collectivite "com-zz")",
      R"(cooperations.json[2].partner.name: required field is missing)",
      R"(missions.json[0].start: invalid date "2024-02-30", expected YYYY-MM-DD)",
      R"(missions.json[1].rating: must be between 1 and 5, got 7)",
      R"(missions.json[2].id: duplicate id "m-b1")",
      R"(missions.json[3].report_delivered: is before the mission's end)",
      R"(needs.json[0].themes[1].weight: must be a positive number no greater than 1e6)",
      R"(needs.json[0].period.end: is before start)",
      R"(needs.json[1].status: unknown status "done", expected one of submitted, assigned, in_mission, report_due, closed, cancelled, shortlisted, proposed)",
      R"(needs.json[1].selected: unknown collectivite "com-zz")",
  };
  for (const std::string& error : expected)
    EXPECT_TRUE(HasError(result, error)) << "missing: " << error << "\ngot:\n" << AllErrors(result);
  EXPECT_EQ(result.errors.size(), expected.size()) << AllErrors(result);
}

TEST(Loader, ReportsJsonSyntaxWithLineAndColumn) {
  ScratchDir scratch;
  CopyDataset(TestData("tiny"), scratch.path());
  WriteFile(scratch.path() / "needs.json", "[\n  {\"id\": \"n1\",\n");
  LoadResult result = LoadDatasetDir(scratch.path());
  ASSERT_FALSE(result.ok());
  ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
  EXPECT_EQ(result.errors[0].rfind("needs.json: invalid JSON, parse error at line 3, column 1", 0),
            0u)
      << result.errors[0];
}

TEST(Loader, ReportsMissingFilesAndWrongShapes) {
  ScratchDir scratch;
  CopyDataset(TestData("tiny"), scratch.path());
  std::filesystem::remove(scratch.path() / "missions.json");
  WriteFile(scratch.path() / "cooperations.json", R"({"collectivite": "com-a"})");
  WriteFile(scratch.path() / "needs.json", R"([42])");
  LoadResult result = LoadDatasetDir(scratch.path());
  ASSERT_EQ(result.errors.size(), 3u) << AllErrors(result);
  EXPECT_EQ(result.errors[0],
            "missions.json: file is missing or unreadable in " + scratch.path().string());
  EXPECT_TRUE(
      HasError(result, "cooperations.json: expected a JSON array of objects, got an object"))
      << AllErrors(result);
  EXPECT_TRUE(HasError(result, "needs.json[0]: expected an object, got an integer"))
      << AllErrors(result);
}

TEST(Loader, UnknownThemesFileDoesNotCascade) {
  // When themes.json is unusable, theme references elsewhere are not each reported again.
  ScratchDir scratch;
  CopyDataset(TestData("tiny"), scratch.path());
  WriteFile(scratch.path() / "themes.json", "{");
  LoadResult result = LoadDatasetDir(scratch.path());
  ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
  EXPECT_EQ(result.errors[0].rfind("themes.json: invalid JSON", 0), 0u);
}

TEST(Loader, NotADirectory) {
  LoadResult result = LoadDatasetDir(TestData("no-such-folder"));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("not a directory"), std::string::npos);
}

}  // namespace
}  // namespace expectmatch::datasets
