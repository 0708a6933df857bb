// The foreign-partner directory and resolver: exact behaviour on small hand-made directories,
// then the hand-written evaluation set over the bundled sample.
#include "expectmatch/understanding/partners.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "expectmatch/datasets/loader.h"
#include "expectmatch/understanding/partner_names.h"

namespace expectmatch::understanding {
namespace {

matcher::Cooperation Coop(std::string country, std::string id, std::string name) {
  matcher::Cooperation c;
  c.collectivite = "fr-x";
  c.country = std::move(country);
  c.partner = {std::move(id), std::move(name)};
  return c;
}

matcher::Need NeedFor(std::string country, std::string id, std::string name) {
  matcher::Need n;
  n.id = "n-" + name;
  n.country = std::move(country);
  n.partner = {std::move(id), std::move(name)};
  return n;
}

// Senegal and Mali, with a partner known by name only and one named by a need only.
matcher::Dataset SmallDataset() {
  matcher::Dataset d;
  d.cooperations = {
      Coop("SN", "SN-fatick", "Commune de Fatick"),
      Coop("SN", "SN-saint-louis", "Ville de Saint-Louis"),
      Coop("SN", "", "Commune de Kédougou"),
      Coop("SN", "", "Commune de Kédougou"),  // the same authority, recorded twice
      Coop("SN", "SN-thies", "Ville de Thiès"),
      Coop("ML", "ML-bamako", "District de Bamako"),
      Coop("ML", "ML-segou", "Commune de Ségou"),
      Coop("ML", "", "Commune de San"),
  };
  d.needs = {NeedFor("SN", "SN-podor", "Commune de Podor"),
             NeedFor("SN", "sn-FATICK", "Mairie de Fatick")};
  return d;
}

TEST(PartnerNames, NormalisesPrefixesElisionsSaintsAndHyphens) {
  using internal::NormaliseName;
  EXPECT_EQ(NormaliseName("Commune de Fatick").compact, "fatick");
  EXPECT_EQ(NormaliseName("Ville d'Erevan").compact, "erevan");
  EXPECT_EQ(NormaliseName("Mairie du District de Bamako").compact, "bamako");
  EXPECT_EQ(NormaliseName("Commune urbaine d'Antananarivo").compact, "antananarivo");
  EXPECT_EQ(NormaliseName("Prefeitura Municipal de Curitiba").compact, "curitiba");
  EXPECT_EQ(NormaliseName("Gobierno Autónomo Municipal de La Paz").compact, "paz");
  EXPECT_EQ(NormaliseName("City of the Hague").compact, "hague");
  EXPECT_EQ(NormaliseName("Kisumu County").compact, "kisumu");
  EXPECT_EQ(NormaliseName("Mairie de St-Louis").compact, "saintlouis");
  EXPECT_EQ(NormaliseName("São Tomé").compact, "sainttome");
  EXPECT_EQ(NormaliseName("Commune de San").compact, "san");  // San alone is a name
  EXPECT_EQ(NormaliseName("Fada N'Gourma").compact, "fadangourma");
  EXPECT_EQ(NormaliseName("Porto Novo").sorted, "novoporto");
  EXPECT_EQ(NormaliseName("Commune de").compact, "de");  // a word always remains
  EXPECT_EQ(internal::PartnerSlug("Commune de Kédougou"), "kedougou");
  EXPECT_EQ(internal::PartnerSlug("Commune de Richard-Toll"), "richard-toll");
}

TEST(PartnerNames, EditDistanceCountsATranspositionOnce) {
  EXPECT_EQ(internal::OptimalStringAlignment("fatick", "fatcik"), 1);
  EXPECT_EQ(internal::OptimalStringAlignment("fatick", "fatik"), 1);
  EXPECT_EQ(internal::OptimalStringAlignment("kati", "kita"), 2);
  EXPECT_EQ(internal::OptimalStringAlignment("", "abc"), 3);
  EXPECT_DOUBLE_EQ(internal::EditSimilarity("fatick", "fatcik"), 1.0 - 1.0 / 6.0);
}

TEST(PartnerDirectory, BuildsOneEntityPerIdAndNameOnlyPartner) {
  PartnerDirectory directory(SmallDataset(), {}, {});
  ASSERT_EQ(directory.entities().size(), 8u);
  const PartnerEntity* fatick = directory.Find("sn-fatick");
  ASSERT_NE(fatick, nullptr);
  EXPECT_EQ(fatick->id, "SN-fatick");
  EXPECT_EQ(fatick->name, "Commune de Fatick");
  // The need spelled the id in another case and the name otherwise: the same entity.
  EXPECT_EQ(fatick->aliases, std::vector<std::string>{"Mairie de Fatick"});
  const PartnerEntity* kedougou = directory.Find("SN-KEDOUGOU");
  ASSERT_NE(kedougou, nullptr);
  EXPECT_EQ(kedougou->id, "SN-kedougou");
  EXPECT_EQ(kedougou->country, "SN");
  ASSERT_NE(directory.Find("SN-podor"), nullptr);
  EXPECT_EQ(directory.Find("ML-san")->name, "Commune de San");
  EXPECT_EQ(directory.Find("SN-dakar"), nullptr);
  EXPECT_EQ(directory.Canonical("SN", {"", "commune de KEDOUGOU"}), kedougou);
  EXPECT_EQ(directory.Canonical("ML", {"", "Commune de Kédougou"}), nullptr);
  EXPECT_EQ(directory.Canonical("SN", {"SN-FATICK", "whatever"}), fatick);
}

TEST(PartnerDirectory, AppliesAliasesAndChainedMerges) {
  matcher::Dataset d = SmallDataset();
  d.cooperations.push_back(Coop("SN", "SN-fatick-2", "Mairie de Fatik"));
  d.cooperations.push_back(Coop("SN", "SN-fatick-3", "Ville de Fatick"));
  const std::vector<PartnerAlias> aliases = {{"SN-fatick-2", "Fatick commune"},
                                             {"SN-nowhere", "Nowhere"}};
  const std::vector<PartnerMerge> merges = {
      {"SN-fatick-2", "SN-fatick-3"},  // then 3 into the main record: a chain
      {"SN-fatick-3", "SN-fatick"},
      {"SN-fatick", "ML-bamako"},   // two countries: ignored
      {"SN-unknown", "SN-fatick"},  // unknown: ignored
  };
  PartnerDirectory directory(d, aliases, merges);
  EXPECT_EQ(directory.entities().size(), 8u);
  const PartnerEntity* fatick = directory.Find("SN-fatick");
  ASSERT_NE(fatick, nullptr);
  EXPECT_EQ(directory.Find("sn-fatick-2"), fatick);
  EXPECT_EQ(directory.Find("SN-fatick-3"), fatick);
  EXPECT_EQ(fatick->merged_ids, (std::vector<std::string>{"SN-fatick-3", "SN-fatick-2"}));
  EXPECT_EQ(fatick->aliases, (std::vector<std::string>{"Mairie de Fatick", "Ville de Fatick",
                                                       "Mairie de Fatik", "Fatick commune"}));
  EXPECT_EQ(directory.Find("ML-bamako")->merged_ids.size(), 0u);

  PartnerResolver resolver(directory);
  PartnerResolution by_old_id = resolver.Resolve("SN", "sn-fatick-2");
  ASSERT_TRUE(by_old_id.resolved);
  EXPECT_EQ(by_old_id.resolved->partner, fatick);
  EXPECT_EQ(by_old_id.resolved->kind, MatchKind::kId);
  EXPECT_EQ(by_old_id.resolved->matched, "SN-fatick-2");
  PartnerResolution by_alias = resolver.Resolve("SN", "FATICK COMMUNE");
  ASSERT_TRUE(by_alias.resolved);
  EXPECT_EQ(by_alias.resolved->partner, fatick);
  EXPECT_EQ(by_alias.resolved->kind, MatchKind::kName);  // "Fatick" is its name once stripped
  EXPECT_DOUBLE_EQ(by_alias.resolved->score, 1.0);
}

TEST(PartnerResolver, ResolvesIdsCaseInsensitivelyAndTheirSlug) {
  PartnerDirectory directory(SmallDataset(), {}, {});
  PartnerResolver resolver(directory);
  for (const char* text : {"SN-FATICK", "sn-fatick", "  Sn-Fatick ", "fatick"}) {
    PartnerResolution r = resolver.Resolve("sn", text);
    ASSERT_TRUE(r.resolved) << text;
    EXPECT_EQ(r.resolved->partner->id, "SN-fatick");
    EXPECT_EQ(r.resolved->kind, MatchKind::kId) << text;
    EXPECT_DOUBLE_EQ(r.resolved->score, 1.0);
    EXPECT_EQ(r.resolved->matched, "SN-fatick");
  }
}

TEST(PartnerResolver, StripsPrefixesElisionsAndSaints) {
  const std::vector<PartnerAlias> aliases = {{"SN-thies", "Cité du rail"}};
  PartnerDirectory directory(SmallDataset(), aliases, {});
  PartnerResolver resolver(directory);
  struct Case {
    const char* text;
    const char* id;
    MatchKind kind;
    double score;
  } cases[] = {
      {"Mairie de Fatick", "SN-fatick", MatchKind::kName, 1.0},  // the name is preferred
      {"City of Fatick", "SN-fatick", MatchKind::kName, 1.0},
      {"Prefeitura de Fatick", "SN-fatick", MatchKind::kName, 1.0},
      {"Municipalidad de Fatick", "SN-fatick", MatchKind::kName, 1.0},
      {"Commune de St-Louis", "SN-saint-louis", MatchKind::kName, 1.0},
      {"Ste Louis", "SN-saint-louis", MatchKind::kName, 1.0},
      {"LOUIS SAINT", "SN-saint-louis", MatchKind::kName, 0.95},  // word order
      {"Commune de Kedougou", "SN-kedougou", MatchKind::kName, 1.0},
      {"cite du rail", "SN-thies", MatchKind::kAlias, 1.0},
      {"Commune de Fatcik", "SN-fatick", MatchKind::kFuzzy, 1.0 - 1.0 / 6.0},  // transposition
      {"Fatik", "SN-fatick", MatchKind::kFuzzy, 1.0 - 1.0 / 6.0},              // missing letter
      {"Kedugou", "SN-kedougou", MatchKind::kFuzzy, 1.0 - 1.0 / 8.0},
  };
  for (const Case& c : cases) {
    PartnerResolution r = resolver.Resolve("SN", c.text);
    ASSERT_TRUE(r.resolved) << c.text;
    EXPECT_EQ(r.resolved->partner->id, c.id) << c.text;
    EXPECT_EQ(r.resolved->kind, c.kind) << c.text;
    EXPECT_DOUBLE_EQ(r.resolved->score, c.score) << c.text;
  }
  EXPECT_GE(1.0 - 1.0 / 6.0, PartnerResolver::kResolveThreshold);
}

TEST(PartnerResolver, NeverAnswersAPartnerOfAnotherCountry) {
  PartnerDirectory directory(SmallDataset(), {}, {});
  PartnerResolver resolver(directory);
  for (const char* text : {"Commune de Fatick", "SN-fatick", "fatick", "Fatik"}) {
    PartnerResolution r = resolver.Resolve("ML", text, 10);
    EXPECT_FALSE(r.resolved) << text;
    for (const PartnerCandidate& c : r.candidates) EXPECT_EQ(c.partner->country, "ML") << text;
  }
  EXPECT_TRUE(resolver.Resolve("FR", "Fatick").candidates.empty());
  EXPECT_TRUE(resolver.Resolve("", "Fatick").candidates.empty());
}

TEST(PartnerResolver, BlankTextOrUnknownTownGivesNoResolution) {
  PartnerDirectory directory(SmallDataset(), {}, {});
  PartnerResolver resolver(directory);
  for (const char* text : {"", "   ", " - ", "Commune de"})
    EXPECT_TRUE(resolver.Resolve("SN", text).candidates.empty()) << "'" << text << "'";
  EXPECT_FALSE(resolver.Resolve("SN", "Tambacounda").resolved);
  EXPECT_FALSE(resolver.Resolve("ML", "Kati").resolved);
  EXPECT_FALSE(PartnerResolver(PartnerDirectory()).Resolve("SN", "Fatick").resolved);
}

TEST(PartnerResolver, AmbiguousTextResolvesNothing) {
  matcher::Dataset d;
  d.cooperations = {Coop("SN", "SN-a", "Commune de Ndiaye"), Coop("SN", "SN-b", "Ville de Ndiaye"),
                    Coop("SN", "SN-c", "Commune de Ndiayes")};
  PartnerDirectory directory(d, {}, {});
  PartnerResolver resolver(directory);
  PartnerResolution r = resolver.Resolve("SN", "Ndiaye", 2);
  EXPECT_FALSE(r.resolved);
  ASSERT_EQ(r.candidates.size(), 2u);  // the limit
  EXPECT_EQ(r.candidates[0].partner->id, "SN-a");
  EXPECT_EQ(r.candidates[1].partner->id, "SN-b");
  EXPECT_DOUBLE_EQ(r.candidates[1].score, 1.0);
  // One letter away from both "ndiaye" and "ndiayes" is still ambiguous...
  EXPECT_FALSE(resolver.Resolve("SN", "Ndiayez").resolved);
  // ...while the exact "Ndiayes" is clear.
  PartnerResolution exact = resolver.Resolve("SN", "Ndiayes", 5);
  ASSERT_TRUE(exact.resolved);
  EXPECT_EQ(exact.resolved->partner->id, "SN-c");
  ASSERT_EQ(exact.candidates.size(), 3u);
  EXPECT_DOUBLE_EQ(exact.candidates[1].score, 1.0 - 1.0 / 7.0);
}

// The hand-written evaluation set (tests/data/partner_names_eval.json) over the sample.
TEST(PartnerEvaluation, ResolvesTheVariantsAndRejectsUnknownAndForeignNames) {
  datasets::LoadResult loaded = datasets::LoadDatasetDir(EXPECTMATCH_SAMPLE_DIR);
  ASSERT_TRUE(loaded.ok());
  PartnerDirectory directory(loaded.dataset, {}, {});
  PartnerResolver resolver(directory);
  std::ifstream in(std::string(EXPECTMATCH_TEST_DATA) + "/partner_names_eval.json");
  ASSERT_TRUE(in);
  const nlohmann::json eval = nlohmann::json::parse(in);
  ASSERT_TRUE(eval.contains("provenance"));

  size_t variants = 0, right = 0, negatives = 0, false_positives = 0;
  std::vector<std::pair<double, std::string>> true_positive_scores, negative_scores;
  for (const auto& row : eval.at("rows")) {
    const std::string country = row.at("country"), text = row.at("text");
    PartnerResolution r = resolver.Resolve(country, text, 5);
    const double top = r.candidates.empty() ? 0.0 : r.candidates.front().score;
    const std::string label = country + " « " + text + " »";
    if (row.at("expected").is_null()) {
      ++negatives;
      negative_scores.emplace_back(top, label);
      if (r.resolved) {
        ++false_positives;
        std::printf("  faux positif : %s -> %s (%.3f)\n", label.c_str(),
                    r.resolved->partner->id.c_str(), r.resolved->score);
      }
      continue;
    }
    ++variants;
    ASSERT_NE(directory.Find(row.at("expected").get<std::string>()), nullptr)
        << row.at("expected") << " is not a partner of the sample";
    const bool ok = r.resolved && r.resolved->partner->id == row.at("expected");
    right += ok;
    if (ok) {
      true_positive_scores.emplace_back(r.resolved->score, label);
    } else {
      std::printf("  manqué : %s (attendu %s ; meilleur %s %.3f)\n", label.c_str(),
                  row.at("expected").get<std::string>().c_str(),
                  r.candidates.empty() ? "-" : r.candidates.front().partner->id.c_str(), top);
    }
  }
  std::sort(true_positive_scores.begin(), true_positive_scores.end());
  std::sort(negative_scores.rbegin(), negative_scores.rend());
  std::printf("Worst true positives:\n");
  for (size_t i = 0; i < 5 && i < true_positive_scores.size(); ++i)
    std::printf("  %.3f %s\n", true_positive_scores[i].first,
                true_positive_scores[i].second.c_str());
  std::printf("Best scores of unknown or foreign names:\n");
  for (size_t i = 0; i < 5 && i < negative_scores.size(); ++i)
    std::printf("  %.3f %s\n", negative_scores[i].first, negative_scores[i].second.c_str());
  const double recall = static_cast<double>(right) / static_cast<double>(variants);
  const double fp_rate = static_cast<double>(false_positives) / static_cast<double>(negatives);
  std::printf(
      "Variants resolved right: %zu/%zu (%.1f %%); unknown or foreign names resolved: "
      "%zu/%zu (%.1f %%); threshold %.2f\n",
      right, variants, 100 * recall, false_positives, negatives, 100 * fp_rate,
      PartnerResolver::kResolveThreshold);
  EXPECT_GE(variants, 150u);
  EXPECT_GE(negatives, 50u);
  EXPECT_GE(recall, 0.95);
  EXPECT_LE(fp_rate, 0.02);
}

}  // namespace
}  // namespace expectmatch::understanding
