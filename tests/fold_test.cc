#include "expectmatch/understanding/fold.h"

#include <gtest/gtest.h>

namespace expectmatch::understanding {
namespace {

TEST(Fold, RemovesAccentsAndCaseAndPunctuation) {
  EXPECT_EQ(Fold("Commune de Dédougou"), "commune de dedougou");
  EXPECT_EQ(Fold("Fada N'Gourma"), "fada n gourma");
  EXPECT_EQ(Fold("  FATICK  "), "fatick");
  EXPECT_EQ(Fold("Ville d’Erevan"), "ville d erevan");
  EXPECT_EQ(Fold("Saint-Louis—du--Sénégal"), "saint louis du senegal");
  EXPECT_EQ(Fold("ŒUVRE Straße"), "oeuvre strasse");
  EXPECT_EQ(Fold("Région du Biobío"), "region du biobio");
}

TEST(Fold, TransliteratesOtherScripts) {
  EXPECT_EQ(Fold("Ереван"), "erevan");
  EXPECT_EQ(Fold(""), "");
  EXPECT_EQ(Fold(" -- "), "");
}

TEST(Fold, SplitsWords) {
  EXPECT_EQ(FoldedWords("Mairie de Fatick"), (std::vector<std::string>{"mairie", "de", "fatick"}));
  EXPECT_TRUE(FoldedWords("'").empty());
}

}  // namespace
}  // namespace expectmatch::understanding
