// RankNeed on catalogues made in the test: the région cap, ties broken by id, a need without
// languages (exact scores on the tiny data set: tiny_ranking_test.cc).
#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "expectmatch/matcher/ranker.h"

namespace expectmatch::matcher {
namespace {

Catalogue ThreeEqualAuthorities() {
  Dataset data;
  data.themes = {{"env", "Environnement", ""}, {"env.eau", "Eau", "env"}};
  for (auto [id, region] :
       {std::pair{"zeta", "Corse"}, std::pair{"alpha", "Bretagne"}, std::pair{"mid", "Bretagne"}}) {
    Collectivite c;
    c.id = id;
    c.name = id;
    c.region = region;
    c.labels = {{"env.eau", Date::FromYmd(2020, 1, 1), std::nullopt}};
    c.languages = {"fr"};
    c.capacity_per_year = 1;
    data.collectivites.push_back(c);
  }
  return Catalogue(data, {});
}

Need WaterNeed() {
  Need need;
  need.id = std::string("n");  // not = "n": GCC 12 warns wrongly (-Wrestrict) on that assign
  need.country = "SN";
  need.themes = {{"env.eau", 1.0}};
  need.period = {Date::FromYmd(2027, 1, 1), Date::FromYmd(2027, 1, 2)};
  return need;
}

TEST(Ranker, DiversityCapsCandidatesPerRegion) {
  Catalogue catalogue = ThreeEqualAuthorities();
  RankOptions options;
  options.max_per_region = 1;
  Ranking ranking = RankNeed(catalogue, WaterNeed(), DefaultProfile(), options);
  ASSERT_EQ(ranking.candidates.size(), 2u);
  EXPECT_EQ(catalogue.collectivites()[ranking.candidates[0].collectivite].id, "alpha");
  EXPECT_EQ(catalogue.collectivites()[ranking.candidates[1].collectivite].id, "zeta");
  EXPECT_EQ(ranking.diversity_skipped, 1u);
  EXPECT_EQ(ranking.eligible, 3u);
  options.max_per_region = 2;
  EXPECT_EQ(RankNeed(catalogue, WaterNeed(), DefaultProfile(), options).candidates.size(), 3u);
}

TEST(Ranker, TiesBreakById) {
  Catalogue catalogue = ThreeEqualAuthorities();  // zeta, alpha, mid, in that order
  Ranking ranking = RankNeed(catalogue, WaterNeed(), DefaultProfile(), RankOptions{});
  ASSERT_EQ(ranking.candidates.size(), 3u);
  EXPECT_EQ(ranking.candidates[0].score, ranking.candidates[2].score);
  EXPECT_EQ(catalogue.collectivites()[ranking.candidates[0].collectivite].id, "alpha");
  EXPECT_EQ(catalogue.collectivites()[ranking.candidates[1].collectivite].id, "mid");
  EXPECT_EQ(catalogue.collectivites()[ranking.candidates[2].collectivite].id, "zeta");
}

TEST(Ranker, ANeedWithoutLanguagesAcceptsEveryone) {
  Dataset data;
  data.themes = {{"env", "Environnement", ""}};
  Collectivite c;
  c.id = "c";
  c.labels = {{"env", Date::FromYmd(2020, 1, 1), std::nullopt}};
  c.languages = {"de"};
  c.capacity_per_year = 2;
  data.collectivites.push_back(c);
  Catalogue catalogue(data, {});
  Need need;
  need.id = "n";
  need.country = "SN";
  need.themes = {{"env", 2.0}};
  need.period = {Date::FromYmd(2027, 1, 1), Date::FromYmd(2027, 1, 2)};
  Ranking ranking = RankNeed(catalogue, need, DefaultProfile(), RankOptions{});
  ASSERT_EQ(ranking.candidates.size(), 1u);
  EXPECT_EQ(ranking.candidates[0].values[static_cast<size_t>(Feature::kLanguage)], 1.0);
  // thematic normalises the need's weights: one theme of weight 2, exact → 1.
  EXPECT_EQ(ranking.candidates[0].values[static_cast<size_t>(Feature::kThematic)], 1.0);
}

}  // namespace
}  // namespace expectmatch::matcher
