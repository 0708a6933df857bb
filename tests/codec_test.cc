#include <gtest/gtest.h>

#include <fstream>
#include <regex>

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

// Theme ids are dotted slugs: segments of [a-z0-9_-], each starting its children's ids.
const char* const kValidThemeIds[] = {"env",        "env.eau", "gouvernance.etat-civil",
                                      "a_b.c1.d-2", "-",       "x.-y_"};
const char* const kInvalidThemeIds[] = {"",        "Env",     "env..eau", ".env",     "env.",
                                        "env eau", "env/eau", "env.état", "env.eau!", "env\\eau"};

TEST(CodecThemeId, AcceptsDottedSlugsWithHyphensUnderscoresAndDigits) {
  for (const char* id : kValidThemeIds) {
    FieldErrors errors;
    auto theme = DecodeTheme(Json{{"id", id}, {"label", "Thème"}, {"parent", nullptr}},
                             FieldPath("themes.json").Index(0), &errors);
    ASSERT_TRUE(theme) << id << ": " << (errors.empty() ? "" : errors.front().message);
    EXPECT_EQ(theme->id, id);
  }
  FieldErrors errors;
  auto child = DecodeTheme(
      Json{{"id", "gouvernance.etat-civil"}, {"label", "État civil"}, {"parent", "gouvernance"}},
      FieldPath("themes.json").Index(1), &errors);
  ASSERT_TRUE(child);
  EXPECT_EQ(child->parent, "gouvernance");
}

TEST(CodecThemeId, RefusesAnythingElseNamingTheField) {
  for (const char* id : kInvalidThemeIds) {
    FieldErrors errors;
    EXPECT_FALSE(DecodeTheme(Json{{"id", id}, {"label", "Thème"}, {"parent", nullptr}},
                             FieldPath("themes.json").Index(3), &errors))
        << id;
    ASSERT_EQ(errors.size(), 1u) << id;
    EXPECT_EQ(errors[0].path.Dotted(), "themes.json[3].id");
    if (*id != '\0') {  // an empty id is refused as an empty string, before its segments
      EXPECT_NE(errors[0].message.find("[a-z0-9_-]"), std::string::npos) << errors[0].message;
    }
  }
}

// The API document states the same rule as the decoder.
TEST(CodecThemeId, OpenApiPatternAgreesWithTheDecoder) {
  std::ifstream in(EXPECTMATCH_OPENAPI_JSON);
  ASSERT_TRUE(in);
  Json document = Json::parse(in);
  std::regex pattern(document["components"]["schemas"]["ThemeId"]["pattern"].get<std::string>());
  for (const char* id : kValidThemeIds) EXPECT_TRUE(std::regex_search(id, pattern)) << id;
  for (const char* id : kInvalidThemeIds) EXPECT_FALSE(std::regex_search(id, pattern)) << id;
}

// A hyphenated theme is a theme like any other for the data set's references.
TEST(CodecThemeId, AHyphenatedThemeCanBeLabelledAndRequested) {
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
  const std::string domain = loaded.dataset.themes.front().id;
  const std::string hyphenated = domain + ".etat-civil";
  documents["themes.json"].push_back(
      Json{{"id", hyphenated}, {"label", "État civil"}, {"parent", domain}});
  documents["needs.json"][0]["themes"] = Json::array({Json{{"theme", hyphenated}}});
  documents["collectivites.json"][0]["labels"].push_back(
      Json{{"theme", hyphenated}, {"since", "2020-01-01"}});
  LoadResult again = DecodeDataset(documents);
  ASSERT_TRUE(again.ok()) << again.errors.front();
  EXPECT_EQ(again.dataset.needs[0].themes.at(0).theme, hyphenated);
}

}  // namespace
}  // namespace expectmatch::datasets
