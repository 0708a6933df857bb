// Exact scores on the tiny hand-made data set (tests/data/tiny), computed by hand below.
//
// Need n1: Senegal (SN, M49 group Western Africa), partner Podor (SN-podor), themes env.eau
// (0.75) + agri.irrigation (0.25), languages fr + en, period 2027-03-01 → 2027-03-05, com-f
// excluded (conflict). Default profile weights: thematic 0.30, country_presence 0.15,
// partner_history 0.10, track_record 0.20, language 0.10, availability 0.15.
// Rated missions of the catalogue: 4, 5, 2 → rating parts 0.75, 1, 0.25 → mean μ = 2/3.
#include <gtest/gtest.h>

#include <cmath>

#include "expectmatch/matcher/ranker.h"
#include "testutil.h"

namespace expectmatch::matcher {
namespace {

using expectmatch::testing::TinySnapshot;

constexpr double kHalfLife = 1096.0;
constexpr double kMeanRating = 2.0 / 3.0;

const Candidate& FindCandidate(const Ranking& ranking, const Catalogue& catalogue,
                               const std::string& id) {
  for (const Candidate& candidate : ranking.candidates) {
    if (catalogue.collectivites()[candidate.collectivite].id == id) return candidate;
  }
  ADD_FAILURE() << "no candidate " << id;
  static Candidate none;
  return none;
}

double Value(const Candidate& c, Feature f) { return c.values[static_cast<size_t>(f)]; }

// Hand-computed track records (see TrackRecordWeighsRelevanceRecencyRatingAndReports).
double TrackA() {
  double w = std::exp2(-726.0 / kHalfLife);
  double experience = w / (w + 1.0);
  double rating = (w * 1.0 + 2.0 * kMeanRating) / (w + 2.0);
  return experience * rating * 1.0;
}
double TrackB() {
  double w1 = 0.25 * std::exp2(-997.0 / kHalfLife), w2 = std::exp2(-388.0 / kHalfLife);
  double experience = (w1 + w2) / (w1 + w2 + 1.0);
  double rating = (w1 * 0.75 + 2.0 * kMeanRating) / (w1 + 2.0);
  double punctuality = (w1 * 0.0 + w2 * 0.5) / (w1 + w2);
  return experience * rating * punctuality;
}

class TinyRanking : public ::testing::Test {
 protected:
  void SetUp() override {
    snapshot_ = TinySnapshot();
    need_ = &catalogue().needs()[static_cast<size_t>(catalogue().FindNeed("n1"))];
    ranking_ = RankNeed(catalogue(), *need_, DefaultProfile(), RankOptions{});
  }
  const Catalogue& catalogue() const { return snapshot_->catalogue; }

  std::shared_ptr<const service::Snapshot> snapshot_;
  const Need* need_ = nullptr;
  Ranking ranking_;
};

TEST_F(TinyRanking, EachHardFilterCountsItsExcluded) {
  EXPECT_EQ(ranking_.considered, 7u);
  EXPECT_EQ(ranking_.eligible, 3u);
  // com-f: named in `excluded`. com-e: only a culture label. com-g: speaks es and pt only.
  // reg-d: capacity 1, already used by mission m-d1 in January 2027.
  EXPECT_EQ(ranking_.excluded_counts[static_cast<size_t>(Filter::kConflict)], 1u);
  EXPECT_EQ(ranking_.excluded_counts[static_cast<size_t>(Filter::kNoActiveLabel)], 1u);
  EXPECT_EQ(ranking_.excluded_counts[static_cast<size_t>(Filter::kLanguage)], 1u);
  EXPECT_EQ(ranking_.excluded_counts[static_cast<size_t>(Filter::kNoCapacity)], 1u);
  EXPECT_TRUE(ranking_.excluded.empty()) << "listed only on request";
}

TEST_F(TinyRanking, ThematicGoesThroughTheTaxonomy) {
  // com-a: labels env.eau and agri.irrigation → 0.75·1 + 0.25·1 = 1.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "com-a"), Feature::kThematic), 1.0);
  // com-b: its env.eau label ends 2027-01-31, before the period ends, so it does not count;
  // env.dechets is a sibling of env.eau (1/2), agri.irrigation exact → 0.75·0.5 + 0.25·1 = 0.625.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "com-b"), Feature::kThematic), 0.625);
  // dep-c: a label on the whole env domain covers env.eau; nothing for irrigation → 0.75.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "dep-c"), Feature::kThematic), 0.75);
}

TEST_F(TinyRanking, CountryPresenceSaturatesAndCreditsTheRegion) {
  // com-a: Podor active (Dakar ended in 2020) → 1 link; Kayes is in Mali, also Western Africa
  // → 1 region link worth 1/4 → 1 − 2^−1.25.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "com-a"), Feature::kCountryPresence),
                   1.0 - std::exp2(-1.25));
  // com-b: Thiès and Louga → 1 − 2^−2 = 0.75.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "com-b"), Feature::kCountryPresence),
                   0.75);
  // dep-c: only Kayes (Mali) → 1 − 2^−0.25.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "dep-c"), Feature::kCountryPresence),
                   1.0 - std::exp2(-0.25));
}

TEST_F(TinyRanking, PartnerHistoryFollowsTheCooperationGraph) {
  // com-a cooperates with Podor itself → direct, 1.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "com-a"), Feature::kPartnerHistory),
                   1.0);
  // dep-c cooperates with Kayes, which com-a (Podor's partner) also cooperates with → 1/2.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "dep-c"), Feature::kPartnerHistory),
                   0.5);
  // com-b cooperates with other Senegalese partners only → 1/4.
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "com-b"), Feature::kPartnerHistory),
                   0.25);
}

TEST_F(TinyRanking, TrackRecordWeighsRelevanceRecencyRatingAndReports) {
  // track = E · R · P, with ω = relevance · 2^(−age/1096): experience E = Σω / (Σω + 1), rating
  // R = (Σ_rated ω·r + 2μ) / (Σ_rated ω + 2), punctuality P = Σ_due ω·p / Σ_due ω.
  // com-a, m-a1: same theme and country → relevance 1; ended 2025-03-05, 726 days before
  // 2027-03-01; rating 5 → r = 1; report 2025-04-15, due 2025-05-05 → on time, P = 1.
  // m-a2 (museums in Mali) is unrelated: relevance 0, ignored.
  EXPECT_NEAR(Value(FindCandidate(ranking_, catalogue(), "com-a"), Feature::kTrackRecord), TrackA(),
              1e-15);
  // com-b, m-b1: env.dechets sibling of env.eau (1/2), Burkina Faso ≠ Senegal → relevance
  // 0.25; 997 days old; rated 4 → r = 0.75; report never delivered, overdue → p = 0.
  // m-b2: irrigation in Senegal → relevance 1; 388 days old; unrated (not in R); report
  // 2026-05-20 after its due date 2026-04-06 → p = 1/2.
  EXPECT_NEAR(Value(FindCandidate(ranking_, catalogue(), "com-b"), Feature::kTrackRecord), TrackB(),
              1e-15);
  EXPECT_DOUBLE_EQ(Value(FindCandidate(ranking_, catalogue(), "dep-c"), Feature::kTrackRecord),
                   0.0);
  EXPECT_NEAR(TrackA(), 0.28911, 1e-5);
  EXPECT_NEAR(TrackB(), 0.13721, 1e-5);
}

TEST_F(TinyRanking, LanguageAndAvailability) {
  // com-a speaks fr, not en → 1/2; need n2 (assigned to com-a, June 2027) uses 1 of its 2
  // missions for 2027 → 1/2.
  const Candidate& a = FindCandidate(ranking_, catalogue(), "com-a");
  EXPECT_DOUBLE_EQ(Value(a, Feature::kLanguage), 0.5);
  EXPECT_DOUBLE_EQ(Value(a, Feature::kAvailability), 0.5);
  const Candidate& b = FindCandidate(ranking_, catalogue(), "com-b");
  EXPECT_DOUBLE_EQ(Value(b, Feature::kLanguage), 1.0);
  EXPECT_DOUBLE_EQ(Value(b, Feature::kAvailability), 1.0);
}

TEST_F(TinyRanking, ScoresAreTheWeightedSumsAndOrderTheShortlist) {
  // A = 0.30·1 + 0.15·(1 − 2^−1.25) + 0.10·1 + 0.20·TrackA + 0.10·0.5 + 0.15·0.5 ≈ 0.66975
  // B = 0.30·0.625 + 0.15·0.75 + 0.10·0.25 + 0.20·TrackB + 0.10·1 + 0.15·1 = 0.575 + 0.2·TrackB ≈ 0.60244
  // C = 0.30·0.75 + 0.15·(1 − 2^−0.25) + 0.10·0.5 + 0 + 0.10·1 + 0.15·1 ≈ 0.54887
  const double a = 0.525 + 0.15 * (1.0 - std::exp2(-1.25)) + 0.2 * TrackA();
  const double b = 0.575 + 0.2 * TrackB();
  const double c = 0.525 + 0.15 * (1.0 - std::exp2(-0.25));
  ASSERT_EQ(ranking_.candidates.size(), 3u);
  EXPECT_EQ(catalogue().collectivites()[ranking_.candidates[0].collectivite].id, "com-a");
  EXPECT_EQ(catalogue().collectivites()[ranking_.candidates[1].collectivite].id, "com-b");
  EXPECT_EQ(catalogue().collectivites()[ranking_.candidates[2].collectivite].id, "dep-c");
  EXPECT_NEAR(ranking_.candidates[0].score, a, 1e-12);
  EXPECT_NEAR(ranking_.candidates[1].score, b, 1e-12);
  EXPECT_NEAR(ranking_.candidates[2].score, c, 1e-12);
  EXPECT_NEAR(a, 0.66975, 1e-5);
  EXPECT_NEAR(b, 0.60244, 1e-5);
  EXPECT_NEAR(c, 0.54887, 1e-5);
}

TEST_F(TinyRanking, ContributionsAddUpToTheScore) {
  for (const Candidate& c : ranking_.candidates) {
    double sum = 0.0;
    for (size_t i = 0; i < kFeatureCount; ++i) {
      EXPECT_EQ(c.contributions[i], DefaultProfile().weights[i] * c.values[i]);
      EXPECT_GE(c.values[i], 0.0);
      EXPECT_LE(c.values[i], 1.0);
      sum += c.contributions[i];
    }
    EXPECT_NEAR(sum, c.score, 1e-12);
  }
}

TEST_F(TinyRanking, ReasonsAreFrenchSentences) {
  const Candidate& a = ranking_.candidates[0];
  EXPECT_EQ(a.reasons[static_cast<size_t>(Feature::kThematic)],
            "Label « Eau et assainissement » depuis 2020 (thème demandé) ; Label « Irrigation » "
            "depuis 2021 (thème demandé)");
  EXPECT_EQ(a.reasons[static_cast<size_t>(Feature::kCountryPresence)],
            "Pays Sénégal : 1 partenariat actif, depuis 2010 ; 1 autre partenariat en Afrique de "
            "l'Ouest");
  EXPECT_EQ(a.reasons[static_cast<size_t>(Feature::kPartnerHistory)],
            "Partenaire direct de Commune de Podor");
  EXPECT_EQ(a.reasons[static_cast<size_t>(Feature::kTrackRecord)],
            "1 mission EXPE-CT comparable, note moyenne 5,0/5, rapports remis à temps : 1 sur 1");
  EXPECT_EQ(a.reasons[static_cast<size_t>(Feature::kLanguage)],
            "Langues de travail parlées : fr ; non parlées : en");
  EXPECT_EQ(a.reasons[static_cast<size_t>(Feature::kAvailability)],
            "Capacité 2027 : 1 mission restante sur 2");
  const Candidate& b = ranking_.candidates[1];
  EXPECT_EQ(b.reasons[static_cast<size_t>(Feature::kThematic)],
            "Label « Gestion des déchets » depuis 2019 (thème voisin) ; Label « Irrigation » "
            "depuis 2019 (thème demandé)");
  EXPECT_EQ(b.reasons[static_cast<size_t>(Feature::kPartnerHistory)],
            "Coopère avec Ville de Thiès (Sénégal)");
  EXPECT_EQ(ranking_.candidates[2].reasons[static_cast<size_t>(Feature::kPartnerHistory)],
            "Partenaire d'un partenaire de Commune de Podor (via Commune de Kayes)");
  EXPECT_EQ(b.reasons[static_cast<size_t>(Feature::kTrackRecord)],
            "2 missions EXPE-CT comparables, note moyenne 4,0/5, rapports remis à temps : 0 sur 2");
}

TEST_F(TinyRanking, KTruncatesAndExplainOffSkipsReasons) {
  RankOptions options;
  options.k = 2;
  options.explain = false;
  Ranking top2 = RankNeed(catalogue(), *need_, DefaultProfile(), options);
  ASSERT_EQ(top2.candidates.size(), 2u);
  EXPECT_EQ(top2.eligible, 3u);
  EXPECT_EQ(top2.candidates[0].score, ranking_.candidates[0].score);
  EXPECT_EQ(top2.candidates[1].values, ranking_.candidates[1].values);
  for (const std::string& reason : top2.candidates[0].reasons) EXPECT_TRUE(reason.empty());
}

TEST_F(TinyRanking, ListsTheExcludedWithTheirFilterOnRequest) {
  RankOptions options;
  options.list_excluded = true;
  Ranking ranking = RankNeed(catalogue(), *need_, DefaultProfile(), options);
  ASSERT_EQ(ranking.excluded.size(), 4u);
  std::vector<std::pair<std::string, Filter>> got;
  for (const Exclusion& e : ranking.excluded)
    got.emplace_back(catalogue().collectivites()[e.collectivite].id, e.filter);
  std::vector<std::pair<std::string, Filter>> want = {{"com-e", Filter::kNoActiveLabel},
                                                      {"com-f", Filter::kConflict},
                                                      {"com-g", Filter::kLanguage},
                                                      {"reg-d", Filter::kNoCapacity}};
  EXPECT_EQ(got, want);
}

TEST_F(TinyRanking, OpeningProfileLiftsAuthoritiesNewToTheCountry) {
  // ouverture: thematic 0.40, track_record 0.30, language 0.15, availability 0.15.
  // A = 0.40 + 0.30·TrackA + 0.075 + 0.075 ≈ 0.6367; C = 0.30 + 0 + 0.15 + 0.15 = 0.60;
  // B = 0.25 + 0.30·TrackB + 0.15 + 0.15 ≈ 0.5912. Under the default profile B beat C.
  Ranking ranking = RankNeed(catalogue(), *need_, OpeningProfile(), RankOptions{});
  ASSERT_EQ(ranking.candidates.size(), 3u);
  EXPECT_EQ(catalogue().collectivites()[ranking.candidates[1].collectivite].id, "dep-c");
  EXPECT_EQ(catalogue().collectivites()[ranking.candidates[2].collectivite].id, "com-b");
  EXPECT_NEAR(ranking.candidates[0].score, 0.55 + 0.3 * TrackA(), 1e-12);
  EXPECT_NEAR(ranking.candidates[1].score, 0.60, 1e-12);
  EXPECT_NEAR(ranking.candidates[2].score, 0.55 + 0.3 * TrackB(), 1e-12);
  EXPECT_EQ(ranking.profile.name, "ouverture");
}

}  // namespace
}  // namespace expectmatch::matcher
