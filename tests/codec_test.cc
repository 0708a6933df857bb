#include <gtest/gtest.h>

#include "expectmatch/datasets/codec.h"
#include "expectmatch/datasets/loader.h"
#include "expectmatch/datasets/reference.h"
#include "testutil.h"

namespace expectmatch::datasets {
namespace {

TEST(FieldPath, PrintsDottedAndAsJsonPointer) {
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
  for (const auto& x : loaded.dataset.collectivites) documents["collectivites.json"].push_back(Encode(x));
  for (const auto& x : loaded.dataset.cooperations) documents["cooperations.json"].push_back(Encode(x));
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
      {"/need/country", R"(unknown country "sn", expected an ISO 3166-1 alpha-2 code such as "SN")"},
      {"/need/themes/0/weight", "expected a number, got a string"},
      {"/need/themes/1/theme", R"(unknown theme "env.air")"},
      {"/need/languages", "expected an array, got a string"},
      {"/need/period/end", "required field is missing"},
  };
  EXPECT_EQ(got, want);
}

TEST(Reference, CountriesAndLanguagesComeFromIsoCodes) {
  ASSERT_NE(FindCountry("SN"), nullptr);
  EXPECT_EQ(FindCountry("SN")->name_fr, "Sénégal");
  EXPECT_EQ(FindCountry("PS")->alpha3, "PSE");
  EXPECT_EQ(FindCountry("sn"), nullptr);
  EXPECT_EQ(FindCountry("XK"), nullptr);  // Kosovo has no ISO 3166-1 code
  EXPECT_EQ(AllCountries().size(), 249u);
  EXPECT_EQ(FindLanguage("wo")->name_fr, "wolof");
  EXPECT_EQ(FindLanguage("xx"), nullptr);
  EXPECT_EQ(FrenchRegions().size(), 18u);
  // UN M49 groups: intermediate regions in Africa and Latin America, sub-regions elsewhere.
  EXPECT_EQ(FindM49Group("SN")->code, 11);
  EXPECT_EQ(FindM49Group("ML")->name_fr, "Afrique de l'Ouest");
  EXPECT_EQ(FindM49Group("MA")->code, 15);
  EXPECT_EQ(FindM49Group("LB")->code, 145);
  EXPECT_EQ(FindM49Group("HT")->code, 29);
  EXPECT_EQ(FindM49Group("AQ")->code, 0);
  matcher::CountryTable table = CountryTable();
  EXPECT_EQ(table.size(), 249u);
  EXPECT_EQ(table.at("BF").subregion, 11);
  EXPECT_EQ(table.at("BF").name_fr, "Burkina Faso");
  EXPECT_TRUE(IsFrenchRegion("Provence-Alpes-Côte d'Azur"));
}

}  // namespace
}  // namespace expectmatch::datasets
