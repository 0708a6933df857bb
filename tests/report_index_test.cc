// The report index on a hand-made set of five reports: French stemming and folding, field
// weights, theme (with sub-themes), country and period filters, snippets, related-report boosts.
#include "expectmatch/understanding/report_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace expectmatch {
namespace {

using understanding::ReportField;
using understanding::ReportIndex;
using understanding::ReportQuery;
using understanding::ReportRecord;
using understanding::ReportResults;

matcher::Date D(int y, unsigned m, unsigned d) { return matcher::Date::FromYmd(y, m, d); }

ReportRecord Report(std::string need, std::string country, std::vector<std::string> themes,
                    std::optional<matcher::Date> end) {
  ReportRecord r;
  r.need = std::move(need);
  r.country = std::move(country);
  r.themes = std::move(themes);
  if (end) r.mission_start = D(2000, 1, 1);
  r.mission_end = end;
  r.collectivite = "com-" + r.need;
  r.collectivite_name = "Commune " + r.need;
  return r;
}

std::vector<ReportRecord> Reports() {
  std::vector<ReportRecord> out;
  // Given out of need order: the index keeps its own.
  ReportRecord r3 = Report("r-3", "SN", {"gouvernance"}, D(2026, 1, 12));
  r3.resultats = "Appui à l'éducation civique <script>alert(1)</script> des élus.";
  r3.recommandations = "Renforcer l'Éducation des jeunes conseillers.";
  out.push_back(r3);
  ReportRecord r1 = Report("r-1", "SN", {"gouvernance.etat-civil"}, D(2024, 5, 10));
  r1.resultats = "Formation de douze agents de l'état civil à la numérisation des registres.";
  r1.recommandations = "Prévoir une seconde session de formation pour les chefs de centre.";
  r1.suites_envisagees = "Accueil de deux agents en France.";
  r1.description = "Numérisation des registres d'état civil.";
  out.push_back(r1);
  ReportRecord r2 = Report("r-2", "MA", {"env.eau"}, D(2025, 3, 5));
  r2.resultats = "Diagnostic du réseau d'eau potable de la commune.";
  r2.document_text =
      "Compte rendu détaillé. Les formations des techniciens ont porté sur la maintenance des "
      "pompes et la lecture des compteurs.";
  out.push_back(r2);
  ReportRecord r4 = Report("r-4", "BF", {"culture.musees"}, D(2023, 2, 1));
  r4.resultats = "Inventaire des collections du musée régional.";
  r4.description = "Formation des guides du musée.";
  out.push_back(r4);
  ReportRecord r5 = Report("r-5", "SN", {"agri.irrigation"}, std::nullopt);
  r5.resultats = "Irrigation goutte à goutte des périmètres maraîchers.";
  out.push_back(r5);
  return out;
}

class ReportIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { index_ = new ReportIndex(Reports()); }
  static void TearDownTestSuite() {
    delete index_;
    index_ = nullptr;
  }
  static ReportResults Search(ReportQuery query) { return index_->Search(query); }
  static ReportResults Search(const std::string& text) {
    ReportQuery query;
    query.text = text;
    return Search(query);
  }
  static std::vector<std::string> Needs(const ReportResults& results) {
    std::vector<std::string> out;
    for (const auto& hit : results.hits) out.push_back(index_->record(hit.record).need);
    return out;
  }
  static std::vector<std::string> Fields(const understanding::ReportHit& hit) {
    std::vector<std::string> out;
    for (ReportField field : hit.matched) out.push_back(understanding::ReportFieldName(field));
    return out;
  }
  static inline ReportIndex* index_ = nullptr;
};

TEST_F(ReportIndexTest, APluralFindsTheSingularAndTheSummaryOutranksTheDocument) {
  ReportResults plural = Search("formations");
  // r-1 says it twice in its summary; r-4 in its need's description; r-2 only in its document.
  EXPECT_EQ(Needs(plural), (std::vector<std::string>{"r-1", "r-4", "r-2"}));
  EXPECT_EQ(plural.total, 3u);
  EXPECT_EQ(Fields(plural.hits[0]), (std::vector<std::string>{"resultats", "recommandations"}));
  EXPECT_EQ(Fields(plural.hits[1]), (std::vector<std::string>{"description"}));
  EXPECT_EQ(Fields(plural.hits[2]), (std::vector<std::string>{"document"}));
  EXPECT_GT(plural.hits[0].score, plural.hits[1].score);
  EXPECT_GT(plural.hits[1].score, plural.hits[2].score);
  EXPECT_EQ(Needs(Search("formation")), Needs(plural));
  // The document's snippet is taken from the document, the word marked as written.
  EXPECT_EQ(plural.hits[2].snippet_field, ReportField::kDocument);
  EXPECT_NE(plural.hits[2].snippet.find("<mark>formations</mark>"), std::string::npos)
      << plural.hits[2].snippet;
  EXPECT_EQ(plural.hits[0].snippet_field, ReportField::kResultats);
  EXPECT_EQ(plural.hits[0].snippet.rfind("<mark>Formation</mark> de douze agents", 0), 0u)
      << plural.hits[0].snippet;
}

TEST_F(ReportIndexTest, AccentsAndCaseAreFoldedOnBothSides) {
  for (const char* text : {"education", "ÉDUCATION", "éducations"}) {
    ReportResults results = Search(text);
    ASSERT_EQ(Needs(results), (std::vector<std::string>{"r-3"})) << text;
    EXPECT_EQ(Fields(results.hits[0]), (std::vector<std::string>{"resultats", "recommandations"}));
    // Words are marked as written, elided article and capital included.
    EXPECT_NE(results.hits[0].snippet.find("<mark>l&#39;éducation</mark> civique"),
              std::string::npos)
        << results.hits[0].snippet;
  }
  ReportResults etat = Search("ETAT CIVIL");
  EXPECT_EQ(Needs(etat), (std::vector<std::string>{"r-1"}));  // "civique" is another word
}

TEST_F(ReportIndexTest, SnippetsEscapeEverythingButTheMarks) {
  ReportResults results = Search("élus");
  ASSERT_EQ(Needs(results), (std::vector<std::string>{"r-3"}));
  const std::string& snippet = results.hits[0].snippet;
  EXPECT_EQ(snippet,
            "Appui à l&#39;éducation civique &lt;script&gt;alert(1)&lt;/script&gt; des "
            "<mark>élus</mark>.");
  EXPECT_EQ(snippet.find("<script"), std::string::npos);
}

TEST_F(ReportIndexTest, AThemeFilterIncludesItsSubThemes) {
  ReportQuery domain;
  domain.themes = {"gouvernance"};
  EXPECT_EQ(Needs(Search(domain)), (std::vector<std::string>{"r-3", "r-1"}));  // latest first
  ReportQuery sub;
  sub.themes = {"gouvernance.etat-civil"};
  EXPECT_EQ(Needs(Search(sub)), (std::vector<std::string>{"r-1"}));
  ReportQuery any;
  any.themes = {"gouvernance.etat-civil", "env"};
  EXPECT_EQ(Needs(Search(any)), (std::vector<std::string>{"r-2", "r-1"}));
  // With words, the filter narrows what they find.
  ReportQuery words = domain;
  words.text = "formation";
  ReportResults found = Search(words);
  EXPECT_EQ(Needs(found), (std::vector<std::string>{"r-1"}));
  EXPECT_EQ(found.total, 1u);
  // A filter alone scores nothing and snippets the start of the first field with text.
  ReportResults alone = Search(sub);
  EXPECT_EQ(alone.hits[0].score, 0.0);
  EXPECT_TRUE(alone.hits[0].matched.empty());
  EXPECT_EQ(alone.hits[0].snippet,
            "Formation de douze agents de l&#39;état civil à la numérisation des registres.");
}

TEST_F(ReportIndexTest, CountryAndPeriodFilterOnTheMissionsEnd) {
  ReportQuery sn;
  sn.country = "SN";
  sn.text = "formation";
  EXPECT_EQ(Needs(Search(sn)), (std::vector<std::string>{"r-1"}));
  ReportQuery all_sn;
  all_sn.country = "SN";
  // Latest end first; a report without a mission end comes last.
  EXPECT_EQ(Needs(Search(all_sn)), (std::vector<std::string>{"r-3", "r-1", "r-5"}));

  ReportQuery period;
  period.from = D(2024, 5, 10);  // bounds included
  period.to = D(2025, 3, 5);
  EXPECT_EQ(Needs(Search(period)), (std::vector<std::string>{"r-2", "r-1"}));
  ReportQuery until;
  until.to = D(2024, 12, 31);  // no lower bound: r-5 without an end is still left out
  EXPECT_EQ(Needs(Search(until)), (std::vector<std::string>{"r-1", "r-4"}));
  ReportQuery since;
  since.from = D(2025, 1, 1);
  EXPECT_EQ(Needs(Search(since)), (std::vector<std::string>{"r-3", "r-2"}));
  period.text = "formations";
  EXPECT_EQ(Needs(Search(period)), (std::vector<std::string>{"r-1", "r-2"}));
}

TEST_F(ReportIndexTest, PagesCountEveryMatch) {
  ReportQuery query;
  query.text = "formations";
  query.limit = 1;
  query.offset = 1;
  ReportResults page = Search(query);
  EXPECT_EQ(Needs(page), (std::vector<std::string>{"r-4"}));
  EXPECT_EQ(page.total, 3u);
  query.offset = 3;
  EXPECT_TRUE(Search(query).hits.empty());
  EXPECT_EQ(Search(query).total, 3u);
}

TEST_F(ReportIndexTest, StopWordsAloneFindNothing) {
  EXPECT_TRUE(ReportIndex::SearchedWords("le la des").empty());
  EXPECT_EQ(Search("le la des").total, 0u);
  EXPECT_EQ(ReportIndex::SearchedWords("Les Formations, des formations"),
            (std::vector<std::string>{"formations"}));
  EXPECT_EQ(Search("zzzz").total, 0u);
}

TEST_F(ReportIndexTest, RelatedReportsFavourTheNeedsCountryAndThemesAndLeaveItOut) {
  ReportQuery plain;
  plain.text = "formation des agents";
  plain.exclude_need = "r-1";
  EXPECT_EQ(Needs(Search(plain)), (std::vector<std::string>{"r-4", "r-2"}));
  // Same words; r-2 shares the country and a theme's branch (env covers env.eau): x2.
  ReportQuery related = plain;
  related.boost_country = "MA";
  related.boost_themes = {"env"};
  ReportResults boosted = Search(related);
  EXPECT_EQ(Needs(boosted), (std::vector<std::string>{"r-2", "r-4"}));
  ReportResults unboosted = Search(plain);
  EXPECT_DOUBLE_EQ(boosted.hits[0].score, 2 * unboosted.hits[1].score);
  EXPECT_DOUBLE_EQ(boosted.hits[1].score, unboosted.hits[0].score);
  related.limit = 1;
  EXPECT_EQ(Needs(Search(related)), (std::vector<std::string>{"r-2"}));
  EXPECT_EQ(Search(related).total, 2u);
}

// Beyond the best 64 by text, a report of the need's country and theme can still come first:
// its boost doubles a score that the 100 others nearly reach.
TEST(ReportIndexBoost, ABoostedReportBeyondTheFirstCandidatesStillComesFirst) {
  std::vector<ReportRecord> records;
  for (int i = 0; i < 100; ++i) {
    ReportRecord r =
        Report("ma-" + std::to_string(100 + i), "MA", {"culture.musees"}, D(2025, 1, 1));
    r.resultats = "Formation des agents.";
    records.push_back(std::move(r));
  }
  ReportRecord sn = Report("sn-1", "SN", {"env.eau"}, D(2025, 1, 1));
  sn.resultats = "Formation des agents, des élus et des techniciens du service municipal.";
  records.push_back(sn);
  ReportIndex index(std::move(records));
  ReportQuery query;
  query.text = "formation";
  query.limit = 3;
  ReportResults plain = index.Search(query);
  ASSERT_EQ(plain.hits.size(), 3u);
  EXPECT_NE(index.record(plain.hits[0].record).need, "sn-1");  // last by text alone
  query.boost_country = "SN";
  query.boost_themes = {"env.eau"};
  ReportResults boosted = index.Search(query);
  EXPECT_EQ(boosted.total, 101u);
  ASSERT_EQ(boosted.hits.size(), 3u);
  EXPECT_EQ(index.record(boosted.hits[0].record).need, "sn-1");
  EXPECT_EQ(index.record(boosted.hits[1].record).need, "ma-100");
}

TEST_F(ReportIndexTest, AnEmptyIndexFindsNothing) {
  ReportIndex empty;
  ReportQuery query;
  query.text = "formation";
  EXPECT_EQ(empty.Search(query).total, 0u);
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(ReportIndex(std::vector<ReportRecord>{}).Search(query).total, 0u);
}

}  // namespace
}  // namespace expectmatch
