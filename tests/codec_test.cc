#include <gtest/gtest.h>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/reference.h"
#include "testutil.h"

namespace expectmatch::datasets {
namespace {

TEST(CodecFieldPath, PrintsDottedAndAsJsonPointer) {
  FieldPath path = FieldPath("collectivites.json").Index(12).Key("labels").Index(0).Key("theme");
  EXPECT_EQ(path.Dotted(), "collectivites.json[12].labels[0].theme");
  EXPECT_EQ(path.Pointer(), "/12/labels/0/theme");
  EXPECT_EQ(FieldPath().Key("a/b").Key("c~d").Pointer(), "/a~1b/c~0d");
  EXPECT_EQ(FieldPath().Pointer(), "");
}

TEST(Codec, EncodeThenDecodeGivesTheSameDocuments) {
  LoadResult loaded = LoadDatasetDir(testing::TestData("tiny"));
  ASSERT_TRUE(loaded.ok());
  DatasetDocuments documents;
  for (const char* file : kDatasetFiles) documents[file] = Json::array();
  for (const auto& x : loaded.dataset.themes) documents["themes.json"].push_back(Encode(x));
  for (const auto& x : loaded.dataset.collectivites)
    documents["collectivites.json"].push_back(Encode(x));
  for (const auto& x : loaded.dataset.cooperations)
    documents["cooperations.json"].push_back(Encode(x));
  for (const auto& x : loaded.dataset.missions) documents["missions.json"].push_back(Encode(x));
  for (const auto& x : loaded.dataset.needs) documents["needs.json"].push_back(Encode(x));
  LoadResult again = DecodeDataset(documents);
  ASSERT_TRUE(again.ok()) << again.errors.front();
  for (size_t i = 0; i < again.dataset.needs.size(); ++i) {
    EXPECT_EQ(Encode(again.dataset.needs[i]), documents["needs.json"][i]);
  }
  for (size_t i = 0; i < again.dataset.collectivites.size(); ++i) {
    EXPECT_EQ(Encode(again.dataset.collectivites[i]), documents["collectivites.json"][i]);
  }
  EXPECT_EQ(Encode(again.dataset.missions[2])["need"], nullptr);
  EXPECT_EQ(Encode(again.dataset.cooperations[4])["partner"], Json({{"name", "Commune de Louga"}}));
}

TEST(Codec, NeedErrorsCarryJsonPointers) {
  std::unordered_set<std::string> themes = {"env", "env.eau"};
  References refs{&themes, nullptr};
  Json need = Json::parse(R"({"id": "x", "country": "sn", "partner": {"name": "P"},
      "themes": [{"theme": "env.eau", "weight": "1"}, {"theme": "env.air"}],
      "period": {"start": "2027-01-01"}, "languages": "fr"})");
  FieldErrors errors;
  EXPECT_FALSE(DecodeNeed(need, FieldPath().Key("need"), refs, &errors));
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : errors) got.emplace_back(e.path.Pointer(), e.message);
  std::vector<std::pair<std::string, std::string>> want = {
      {"/need/country",
       R"(unknown country "sn", expected an ISO 3166-1 alpha-2 code such as "SN")"},
      {"/need/themes/0/weight", "expected a number, got a string"},
      {"/need/themes/1/theme", R"(unknown theme "env.air")"},
      {"/need/languages", "expected an array, got a string"},
      {"/need/period/end", "required field is missing"},
  };
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace expectmatch::datasets
