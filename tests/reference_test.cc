// The reference tables (datasets/reference.h): ISO 3166-1 countries, ISO 639-1 languages, the
// French régions and the UN M49 groups.
#include <gtest/gtest.h>

#include "expectmatch/datasets/reference.h"

namespace expectmatch::datasets {
namespace {

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
