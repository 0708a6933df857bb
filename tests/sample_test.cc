// Invariants on the bundled sample data set (datasets/sample), ranked need by need.
#include <gtest/gtest.h>

#include <set>

#include "expectmatch/matcher/ranker.h"
#include "testutil.h"

namespace expectmatch {
namespace {

class Sample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    datasets::LoadResult loaded = datasets::LoadDatasetDir(testing::SampleDir());
    std::string errors;
    for (const auto& e : loaded.errors) errors += e + "\n";
    ASSERT_TRUE(loaded.ok()) << errors;
    snapshot_ = new service::Snapshot(std::move(loaded.dataset));
  }
  static void TearDownTestSuite() { delete snapshot_; }
  static inline service::Snapshot* snapshot_ = nullptr;
};

TEST_F(Sample, HasTheSizeTheReadmePromises) {
  const auto& c = snapshot_->catalogue;
  std::set<std::string> domains, countries;
  for (const auto& theme : c.taxonomy().themes()) {
    if (theme.parent.empty()) domains.insert(theme.id);
  }
  for (const auto& link : c.cooperations()) countries.insert(link.country);
  EXPECT_GE(domains.size(), 12u);
  EXPECT_GE(c.taxonomy().themes().size() - domains.size(), 40u);
  EXPECT_GE(c.collectivites().size(), 70u);
  EXPECT_GE(c.cooperations().size(), 250u);
  EXPECT_GE(countries.size(), 35u);
  EXPECT_GE(c.missions().size(), 100u);
  EXPECT_GE(c.needs().size(), 35u);
}

TEST_F(Sample, EveryOpenNeedGetsAValidExplainedShortlist) {
  const auto& catalogue = snapshot_->catalogue;
  for (const matcher::Profile& profile : matcher::BuiltinProfiles())
    for (const matcher::Need& need : catalogue.needs()) {
      if (need.status != matcher::NeedStatus::kSubmitted &&
          need.status != matcher::NeedStatus::kShortlisted)
        continue;
      matcher::RankOptions options;
      options.k = 10;
      matcher::Ranking ranking = matcher::RankNeed(catalogue, need, profile, options);
      EXPECT_GE(ranking.eligible, 1u) << need.id;
      size_t excluded = 0;
      for (size_t count : ranking.excluded_counts) excluded += count;
      EXPECT_EQ(excluded + ranking.eligible, catalogue.collectivites().size()) << need.id;
      for (size_t i = 0; i < ranking.candidates.size(); ++i) {
        const matcher::Candidate& c = ranking.candidates[i];
        double sum = 0;
        for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
          EXPECT_GE(c.values[f], 0.0) << need.id;
          EXPECT_LE(c.values[f], 1.0) << need.id;
          EXPECT_FALSE(c.reasons[f].empty()) << need.id;
          sum += c.contributions[f];
        }
        EXPECT_NEAR(sum, c.score, 1e-12);
        EXPECT_LE(c.score, 1.0 + 1e-12);
        if (i > 0) {
          const auto& prev = ranking.candidates[i - 1];
          EXPECT_TRUE(prev.score > c.score ||
                      (prev.score == c.score && catalogue.collectivites()[prev.collectivite].id <
                                                    catalogue.collectivites()[c.collectivite].id))
              << need.id << " not ordered at rank " << i + 1;
        }
        // Nobody excluded for a conflict appears in the shortlist.
        const std::string& id = catalogue.collectivites()[c.collectivite].id;
        EXPECT_EQ(std::find(need.excluded.begin(), need.excluded.end(), id), need.excluded.end())
            << need.id;
      }
    }
}

}  // namespace
}  // namespace expectmatch
