// Each ranking feature (matcher/features.h) on the tiny hand-made data set (tests/data/tiny),
// with its exact value from the formulas of ARCHITECTURE.md "Features", computed by hand below.
//
// Need n1: Senegal (SN, M49 group Western Africa, with Mali), partner Podor (SN-podor), themes
// env.eau (0.75) + agri.irrigation (0.25), languages fr + en, period from 2027-03-01. Other
// needs are n1 or n2 with one field changed. Links active on 2027-03-01: com-a Podor (SN) and
// Kayes (ML), its Dakar link (SN) ended in 2020; com-b Thiès and Louga (SN); dep-c Kayes (ML).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "expectmatch/matcher/features.h"
#include "testutil.h"

namespace expectmatch::matcher {
namespace {

using expectmatch::testing::TinySnapshot;
using enum Feature;

// Rated missions of the catalogue: 4, 5, 2 → rating parts 0.75, 1, 0.25 → mean μ = 2/3.
constexpr double kMeanRating = 2.0 / 3.0;
constexpr double kHalfLife = 1096.0;

class Features : public ::testing::Test {
 protected:
  void SetUp() override { snapshot_ = TinySnapshot(); }
  const Catalogue& catalogue() const { return snapshot_->catalogue; }

  Need TinyNeed(const std::string& id) const {
    int index = catalogue().FindNeed(id);
    EXPECT_GE(index, 0) << id;
    return catalogue().needs()[static_cast<size_t>(index)];
  }
  Need N1() const { return TinyNeed("n1"); }
  AuthorityIndex Authority(const std::string& id) const {
    int index = catalogue().FindCollectivite(id);
    EXPECT_GE(index, 0) << id;
    return static_cast<AuthorityIndex>(index);
  }

  // Feature `feature` of authority `id` for `need`, through the feature's own function;
  // ComputeFeatures must give the same value in its slot.
  double Value(Feature feature, const Need& need, const std::string& id) const {
    const NeedContext context = PrepareNeed(catalogue(), need);
    const AuthorityIndex c = Authority(id);
    const FeatureParams params;
    double value = -1.0;
    switch (feature) {
      case kThematic:
        value = Thematic(catalogue(), context, c);
        break;
      case kCountryPresence:
        value = CountryPresence(catalogue(), context, c, params);
        break;
      case kPartnerHistory:
        value = PartnerHistory(catalogue(), context, c);
        break;
      case kTrackRecord:
        value = TrackRecord(catalogue(), context, c, params);
        break;
      case kLanguage:
        value = Language(catalogue(), context, c);
        break;
      case kAvailability:
        value = Availability(catalogue(), context, c);
        break;
    }
    EXPECT_EQ(ComputeFeatures(catalogue(), context, c, params)[static_cast<size_t>(feature)], value)
        << FeatureName(feature) << " of " << id;
    return value;
  }

 private:
  std::shared_ptr<const service::Snapshot> snapshot_;
};

// ---------------------------------------------------------------------------------------------
// thematic = Σₜ wₜ · maxₗ s(t, l), weights normalised to sum 1.

TEST_F(Features, ThematicIsOneForLabelsOnEveryRequestedTheme) {
  // com-a: labels env.eau and agri.irrigation → 0.75·1 + 0.25·1.
  EXPECT_EQ(Value(kThematic, N1(), "com-a"), 1.0);
}

TEST_F(Features, ThematicCountsALabelOnTheWholeDomainAsTheTheme) {
  // dep-c: a label on env, an ancestor of env.eau → 1 for env.eau, 0 for agri.irrigation.
  EXPECT_EQ(Value(kThematic, N1(), "dep-c"), 0.75);
  Need water = N1();
  water.themes = {{"env.eau", 1.0}};
  EXPECT_EQ(Value(kThematic, water, "dep-c"), 1.0);
}

TEST_F(Features, ThematicGivesASiblingOneHalf) {
  // com-b, for env.eau alone: its env.eau label ends 2027-01-31, before the period ends, so
  // it does not count; env.dechets is a sibling → ½.
  Need water = N1();
  water.themes = {{"env.eau", 1.0}};
  EXPECT_EQ(Value(kThematic, water, "com-b"), 0.5);
  // n1: 0.75·½ (sibling) + 0.25·1 (agri.irrigation exact).
  EXPECT_EQ(Value(kThematic, N1(), "com-b"), 0.625);
}

TEST_F(Features, ThematicGivesTheSameDomainOneQuarter) {
  // The need names the whole env domain; com-a's label is one of its sub-themes → ¼.
  Need domain = N1();
  domain.themes = {{"env", 1.0}};
  EXPECT_EQ(Value(kThematic, domain, "com-a"), 0.25);
}

TEST_F(Features, ThematicIsZeroForAnotherDomainAndNormalisesTheWeights) {
  // com-e: only culture.musees.
  EXPECT_EQ(Value(kThematic, N1(), "com-e"), 0.0);
  // Weights 3 and 1 are 0.75 and 0.25: com-b again 0.75·½ + 0.25·1.
  Need heavy = N1();
  heavy.themes = {{"env.eau", 3.0}, {"agri.irrigation", 1.0}};
  EXPECT_EQ(Value(kThematic, heavy, "com-b"), 0.625);
}

// ---------------------------------------------------------------------------------------------
// country_presence = 1 − 2^−(n + m/4): n links in the need's country, m in its M49 group.

TEST_F(Features, CountryPresenceOfOneLinkInTheCountryIsOneHalf) {
  // A need in Mali: dep-c's Kayes link is its only one → 1 − 2^−1.
  Need mali = N1();
  mali.country = "ML";
  mali.partner = {"ML-kayes", "Commune de Kayes"};
  EXPECT_EQ(Value(kCountryPresence, mali, "dep-c"), 0.5);
}

TEST_F(Features, CountryPresenceOfTwoLinksInTheCountryIsThreeQuarters) {
  // com-b: Thiès and Louga → 1 − 2^−2.
  EXPECT_EQ(Value(kCountryPresence, N1(), "com-b"), 0.75);
}

TEST_F(Features, CountryPresenceCountsANeighbouringCountryAQuarter) {
  // dep-c: Kayes, in Mali (Western Africa like Senegal) → 1 − 2^−0.25.
  EXPECT_EQ(Value(kCountryPresence, N1(), "dep-c"), 1.0 - std::exp2(-0.25));
  // com-a: Podor (Dakar ended in 2020) and Kayes → 1 − 2^−1.25.
  EXPECT_EQ(Value(kCountryPresence, N1(), "com-a"), 1.0 - std::exp2(-1.25));
}

TEST_F(Features, CountryPresenceIsZeroWithoutLinksInTheCountryOrItsGroup) {
  EXPECT_EQ(Value(kCountryPresence, N1(), "com-e"), 0.0);
  // Morocco (Northern Africa): nobody has a link there or in its group.
  EXPECT_EQ(Value(kCountryPresence, TinyNeed("n2"), "com-a"), 0.0);
}

// ---------------------------------------------------------------------------------------------
// partner_history: 1 direct, ½ partner of a partner, ¼ a partner in the country, 0 otherwise.

TEST_F(Features, PartnerHistoryLevels) {
  EXPECT_EQ(Value(kPartnerHistory, N1(), "com-a"), 1.0);  // cooperates with Podor
  EXPECT_EQ(Value(kPartnerHistory, N1(), "dep-c"),
            0.5);  // Kayes, also a partner of com-a (Podor's)
  EXPECT_EQ(Value(kPartnerHistory, N1(), "com-b"), 0.25);  // Thiès and Louga, in Senegal
  EXPECT_EQ(Value(kPartnerHistory, N1(), "com-e"), 0.0);   // no link at all
}

TEST_F(Features, PartnerHistoryOfAnUnknownPartnerLeavesTheCountryLevel) {
  Need unknown = N1();
  unknown.partner = {"", "Commune inconnue"};
  EXPECT_EQ(Value(kPartnerHistory, unknown, "com-a"), 0.25);
  EXPECT_EQ(Value(kPartnerHistory, unknown, "dep-c"), 0.0);
}

TEST_F(Features, PartnerHistoryCountsOnlyLinksActiveOnTheFirstDay) {
  // com-a's link with Dakar ended in 2020: not a direct partner, but Podor is in Senegal.
  Need dakar = N1();
  dakar.partner = {"SN-dakar", "Ville de Dakar"};
  EXPECT_EQ(Value(kPartnerHistory, dakar, "com-a"), 0.25);
}

// ---------------------------------------------------------------------------------------------
// track_record = E · R · P over the missions ended before 2027-03-01, with
// ω = ρ · 2^(−age/1096), ρ = ½θ + ½κ, E = Σω / (Σω + 1), R = (Σ_rated ω·r + 2μ) / (Σ_rated ω + 2),
// P = Σ_due ω·p / Σ_due ω (1 when no report is due).

TEST_F(Features, TrackRecordOfTwoMissionsIsExperienceTimesRatingTimesPunctuality) {
  // com-b, m-b1: env.dechets, sibling of env.eau (θ ½), in Burkina Faso (κ 0) → ρ = ¼; ended
  // 2024-06-07, 997 days before; rated 4 → r = ¾; report never delivered, due 2024-08-07 → p 0.
  // m-b2: agri.irrigation (θ 1) in Senegal (κ 1) → ρ = 1; ended 2026-02-06, 388 days before;
  // unrated; report 2026-05-20, after its due date 2026-04-06 → p ½.
  const double w1 = 0.25 * std::exp2(-997.0 / kHalfLife);
  const double w2 = 1.0 * std::exp2(-388.0 / kHalfLife);
  const double experience = (w1 + w2) / (w1 + w2 + 1.0);
  const double rating = (w1 * 0.75 + 2.0 * kMeanRating) / (w1 + 2.0);
  const double punctuality = (w1 * 0.0 + w2 * 0.5) / (w1 + w2);
  EXPECT_NEAR(Value(kTrackRecord, N1(), "com-b"), experience * rating * punctuality, 1e-15);
  EXPECT_NEAR(experience * rating * punctuality, 0.13721, 1e-5);
}

TEST_F(Features, TrackRecordIgnoresIrrelevantMissions) {
  // com-a, m-a1: env.eau in Senegal → ρ = 1; 726 days before; rated 5 → r = 1; report on time.
  // m-a2: museums in Mali → θ 0, κ 0 → ρ = 0, ignored (its rating 2 included).
  const double w = std::exp2(-726.0 / kHalfLife);
  const double expected = w / (w + 1.0) * (w * 1.0 + 2.0 * kMeanRating) / (w + 2.0) * 1.0;
  EXPECT_NEAR(Value(kTrackRecord, N1(), "com-a"), expected, 1e-15);
  EXPECT_NEAR(expected, 0.28911, 1e-5);
}

TEST_F(Features, TrackRecordOfAnUnratedMissionWithNoReportDueYet) {
  // reg-d, m-d1: env.eau (θ 1) in Tunisia (κ 0) → ρ = ½; ended 2027-01-12, 48 days before;
  // unrated → R = μ; report due 2027-03-12, after the reference date → P = 1.
  const double w = 0.5 * std::exp2(-48.0 / kHalfLife);
  EXPECT_NEAR(Value(kTrackRecord, N1(), "reg-d"), w / (w + 1.0) * kMeanRating * 1.0, 1e-15);
}

TEST_F(Features, TrackRecordWithoutMissionsIsZero) {
  EXPECT_EQ(Value(kTrackRecord, N1(), "dep-c"), 0.0);
}

// ---------------------------------------------------------------------------------------------
// language = |L_need ∩ L_c| / |L_need|, 1 when the need names none.

TEST_F(Features, LanguageIsTheShareOfTheNeedsLanguagesSpoken) {
  EXPECT_EQ(Value(kLanguage, N1(), "com-a"), 0.5);  // fr, not en
  EXPECT_EQ(Value(kLanguage, N1(), "com-b"), 1.0);  // fr and en
  EXPECT_EQ(Value(kLanguage, N1(), "com-g"), 0.0);  // es and pt
  Need none = N1();
  none.languages.clear();
  EXPECT_EQ(Value(kLanguage, none, "com-g"), 1.0);
}

// ---------------------------------------------------------------------------------------------
// availability = max(0, capacity − used) / capacity in the need's start year.

TEST_F(Features, AvailabilityIsTheShareOfTheYearlyCapacityLeft) {
  // com-a: capacity 2, need n2 (assigned to it, June 2027, no mission yet) uses 1 → ½.
  EXPECT_EQ(Value(kAvailability, N1(), "com-a"), 0.5);
  // com-b: capacity 1, nothing in 2027 → 1. dep-c: capacity 3, nothing → 1.
  EXPECT_EQ(Value(kAvailability, N1(), "com-b"), 1.0);
  EXPECT_EQ(Value(kAvailability, N1(), "dep-c"), 1.0);
  // reg-d: capacity 1, used by mission m-d1 (January 2027) → 0.
  EXPECT_EQ(Value(kAvailability, N1(), "reg-d"), 0.0);
}

TEST_F(Features, AvailabilityLeavesOutTheNeedsOwnUse) {
  // For n2 itself, com-a's use by n2 does not count → 2/2.
  EXPECT_EQ(Value(kAvailability, TinyNeed("n2"), "com-a"), 1.0);
}

}  // namespace
}  // namespace expectmatch::matcher
