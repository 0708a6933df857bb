// Every explanation states the level its value encodes: over rankings of generated needs (and of
// needs whose partner was recognised from a typed name), for each feature, what the French
// reason says is checked against the value it explains.
#include <gtest/gtest.h>

#include <cctype>
#include <regex>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/catalogue.h"
#include "expectmatch/matcher/profile.h"
#include "expectmatch/matcher/ranker.h"
#include "expectmatch/service/snapshot.h"
#include "expectmatch/service/understanding.h"
#include "expectmatch/synth/generator.h"

namespace expectmatch {
namespace {

using matcher::Feature;

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// The reason `reason` of `feature` agrees with `value`; the message says how it does not.
::testing::AssertionResult Agrees(Feature feature, double value, const std::string& reason) {
  auto fail = [&] {
    return ::testing::AssertionFailure()
           << matcher::FeatureName(feature) << " = " << value << " but « " << reason << " »";
  };
  std::smatch m;
  switch (feature) {
    case Feature::kThematic: {
      const bool labelled = reason.find("Label « ") != std::string::npos;
      if (labelled != (value > 0)) return fail();
      break;
    }
    case Feature::kCountryPresence: {
      const bool none = reason.find("aucun partenariat actif") != std::string::npos &&
                        reason.find("autre") == std::string::npos;
      if (none != (value == 0)) return fail();
      break;
    }
    case Feature::kPartnerHistory: {
      double said = -1;
      if (StartsWith(reason, "Partenaire direct de ")) said = 1.0;
      if (StartsWith(reason, "Partenaire d'un partenaire de ")) said = 0.5;
      if (StartsWith(reason, "Coopère avec ")) said = 0.25;
      if (StartsWith(reason, "Aucun lien avec ")) said = 0.0;
      if (said != value) return fail();
      break;
    }
    case Feature::kTrackRecord: {
      const bool none = StartsWith(reason, "Aucune mission");
      if (none && value != 0) return fail();
      if (!none && !std::regex_search(reason, std::regex("^[0-9]+ missions? EXPE-CT"))) {
        return fail();
      }
      break;
    }
    case Feature::kLanguage: {
      if (StartsWith(reason, "Aucune langue de travail demandée")) {
        if (value != 1.0) return fail();
      } else if (reason.find("parlées : aucune") != std::string::npos) {
        if (value != 0.0) return fail();
      } else if (reason.find("non parlées") != std::string::npos) {
        if (!(value > 0 && value < 1)) return fail();
      } else if (value != 1.0) {
        return fail();
      }
      break;
    }
    case Feature::kAvailability: {
      static const std::regex kCapacity(": ([0-9]+) missions? restantes? sur ([0-9]+)$");
      if (!std::regex_search(reason, m, kCapacity)) return fail();
      const double left = std::stod(m[1]), capacity = std::stod(m[2]);
      const double said = capacity > 0 ? left / capacity : 0.0;
      if (std::abs(said - value) > 1e-12) return fail();
      break;
    }
  }
  return ::testing::AssertionSuccess();
}

class ReasonConsistency : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snapshot_ = new std::shared_ptr<const service::Snapshot>(
        std::make_shared<const service::Snapshot>(synth::GenerateDataset({3000, 11})));
  }
  static void TearDownTestSuite() { delete snapshot_; }

  // Ranks `need` with explanations and checks every reason of every candidate; returns how many
  // candidates were checked.
  static size_t CheckAll(const matcher::Need& need, std::array<size_t, 4>* partner_levels) {
    const service::Snapshot& snap = **snapshot_;
    matcher::RankOptions options;
    options.k = 50;
    options.explain = true;
    matcher::Ranking ranking =
        matcher::RankNeed(snap.catalogue, need, matcher::DefaultProfile(), options);
    for (const matcher::Candidate& c : ranking.candidates) {
      for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
        EXPECT_TRUE(Agrees(static_cast<Feature>(f), c.values[f], c.reasons[f]))
            << "need " << need.id << ", " << snap.catalogue.collectivites()[c.collectivite].id;
      }
      const double history = c.values[static_cast<size_t>(Feature::kPartnerHistory)];
      ++(*partner_levels)[history == 1.0 ? 0 : history == 0.5 ? 1 : history == 0.25 ? 2 : 3];
    }
    return ranking.candidates.size();
  }

  static inline std::shared_ptr<const service::Snapshot>* snapshot_ = nullptr;
};

TEST_F(ReasonConsistency, EveryReasonStatesTheLevelItsValueEncodes) {
  const service::Snapshot& snap = **snapshot_;
  std::array<size_t, 4> levels{};
  size_t checked = 0;
  for (const matcher::Need& need : snap.catalogue.needs()) {
    if (need.themes.empty()) continue;
    checked += CheckAll(need, &levels);
  }
  // And a need of every 23rd cooperation's partner, in its country, on its themes, with and
  // without working languages: more countries and partners than the generated needs name.
  const std::vector<matcher::Cooperation>& links = snap.catalogue.cooperations();
  for (size_t i = 0; i < links.size(); i += 23) {
    matcher::Need need = snap.catalogue.needs().front();
    need.id = "link-" + std::to_string(i);
    need.country = links[i].country;
    need.partner = links[i].partner;
    need.themes.clear();
    for (const std::string& theme : links[i].themes) need.themes.push_back({theme, 1.0});
    if (need.themes.empty()) need.themes = snap.catalogue.needs().front().themes;
    need.languages = i % 2 ? std::vector<std::string>{} : std::vector<std::string>{"fr", "es"};
    checked += CheckAll(need, &levels);
  }
  EXPECT_GT(checked, 300u);
  // Every level of partner_history occurs, so each branch above was exercised.
  for (size_t level = 0; level < levels.size(); ++level)
    EXPECT_GT(levels[level], 0u) << "partner_history level " << level << " never seen";
}

TEST_F(ReasonConsistency, AHandTypedPartnerIsRecognisedAndTheReasonSaysSo) {
  const service::Snapshot& snap = **snapshot_;
  // A need of active cooperations' partners, their names typed in capitals (ASCII letters
  // only, as a quick typist would), on the cooperation's themes.
  size_t tried = 0, recognised = 0, ranked = 0, direct = 0;
  std::array<size_t, 4> levels{};
  for (size_t i = 0; i < snap.catalogue.cooperations().size() && tried < 60; i += 13) {
    const matcher::Cooperation& link = snap.catalogue.cooperations()[i];
    if (link.until || link.themes.empty()) continue;
    ++tried;
    std::string typed = link.partner.name;
    for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    matcher::Need need = snap.catalogue.needs().front();
    need.id = "typed-" + std::to_string(i);
    need.country = link.country;
    need.partner.id.clear();
    need.partner.name = typed;
    need.themes = {{link.themes.front(), 1.0}};
    need.languages.clear();
    service::PartnerRecognition recognition = service::RecognisePartner(snap, &need);
    // Some generated names are shared by two partners of a country: no resolution then.
    if (!recognition.resolved) continue;
    ++recognised;
    EXPECT_EQ(need.partner.id, link.partner.id);
    EXPECT_EQ(need.partner_recognised_from, typed);
    CheckAll(need, &levels);
    matcher::RankOptions options;
    options.k = 3000;
    matcher::Ranking ranking =
        matcher::RankNeed(snap.catalogue, need, matcher::DefaultProfile(), options);
    for (const matcher::Candidate& c : ranking.candidates) {
      if (snap.catalogue.collectivites()[c.collectivite].id != link.collectivite) continue;
      const std::string& reason = c.reasons[static_cast<size_t>(Feature::kPartnerHistory)];
      EXPECT_NE(reason.find("« " + typed + " » reconnu comme " + link.partner.name),
                std::string::npos)
          << reason;
      ++ranked;
      if (c.values[static_cast<size_t>(Feature::kPartnerHistory)] == 1.0) ++direct;
    }
  }
  EXPECT_GT(tried, 30u);
  EXPECT_GT(recognised, tried / 2);
  // Wherever the cooperating authority passes the filters, it is the need's direct partner.
  EXPECT_GT(ranked, 0u);
  EXPECT_EQ(direct, ranked);
}

}  // namespace
}  // namespace expectmatch
