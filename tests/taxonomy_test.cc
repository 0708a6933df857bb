#include <gtest/gtest.h>

#include "expectmatch/matcher/taxonomy.h"

namespace expectmatch::matcher {
namespace {

Taxonomy Sample() {
  return Taxonomy({{"env", "Environnement", ""},
                   {"env.eau", "Eau", "env"},
                   {"env.dechets", "Déchets", "env"},
                   {"agri", "Agriculture", ""},
                   {"agri.irrigation", "Irrigation", "agri"}});
}

TEST(Taxonomy, RelatesThemesFromClosestToFarthest) {
  Taxonomy t = Sample();
  EXPECT_EQ(t.Relate("env.eau", "env.eau"), ThemeRelation::kExact);
  EXPECT_EQ(t.Relate("env.eau", "env"),
            ThemeRelation::kExact);  // a domain label covers its sub-themes
  EXPECT_EQ(t.Relate("env.eau", "env.dechets"), ThemeRelation::kSibling);
  EXPECT_EQ(t.Relate("env", "env.eau"),
            ThemeRelation::kSameDomain);  // a broad request, a narrow label
  EXPECT_EQ(t.Relate("env.eau", "agri.irrigation"), ThemeRelation::kUnrelated);
  EXPECT_EQ(t.Relate("env.eau", "nope"), ThemeRelation::kUnrelated);
}

TEST(Taxonomy, SimilarityIsOneHalfQuarterZero) {
  EXPECT_EQ(ThemeSimilarity(ThemeRelation::kExact), 1.0);
  EXPECT_EQ(ThemeSimilarity(ThemeRelation::kSibling), 0.5);
  EXPECT_EQ(ThemeSimilarity(ThemeRelation::kSameDomain), 0.25);
  EXPECT_EQ(ThemeSimilarity(ThemeRelation::kUnrelated), 0.0);
}

TEST(Taxonomy, DomainsAndAncestors) {
  Taxonomy t = Sample();
  EXPECT_EQ(t.DomainOf("env.eau"), "env");
  EXPECT_EQ(t.DomainOf("agri"), "agri");
  EXPECT_TRUE(t.IsSelfOrAncestor("env", "env.eau"));
  EXPECT_TRUE(t.IsSelfOrAncestor("env.eau", "env.eau"));
  EXPECT_FALSE(t.IsSelfOrAncestor("env.eau", "env"));
}

}  // namespace
}  // namespace expectmatch::matcher
