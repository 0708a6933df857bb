// Capitalisation on a live server over the tiny data set: GET /v1/reports (search, filters,
// refused parameters, roles), GET /v1/needs/{id}/related-reports (its access is the need's),
// and the index following the reports as they are written.
#include <gtest/gtest.h>

#include "live_server.h"

namespace expectmatch {
namespace {

using Json = datasets::Json;

class ReportSearchApi : public testing::LiveServer<ReportSearchApi> {
 protected:
  static void SetUpTestSuite() {
    LiveServer::SetUpTestSuite();
    AddNeed("sn-cap-1", "SN", "env.eau", "Formation des fontainiers de la régie de l'eau.");
    AddNeed("ma-cap-2", "MA", "env.dechets", "Collecte des déchets ménagers.");
    AddNeed("sn-cap-3", "SN", "agri.irrigation", "Irrigation des périmètres.");
    store_->PutReport({"sn-cap-1", "com-a",
                       R"({"resultats": "Douze fontainiers formés à la recherche de fuites.",
                           "recommandations": "Poursuivre la formation des fontainiers.",
                           "suites_envisagees": "", "daect_rating": 4})",
                       "2026-11-01T10:00:00Z", "k_test"});
    store_->PutReport({"ma-cap-2", "com-b",
                       R"({"resultats": "Plan de collecte des déchets et formation des agents.",
                           "recommandations": "", "suites_envisagees": ""})",
                       "2026-11-02T10:00:00Z", "k_test"});
    store_->PutReport({"sn-cap-3", "dep-c",
                       R"({"resultats": "Irrigation goutte à goutte <script>x</script> réussie.",
                           "recommandations": "", "suites_envisagees": ""})",
                       "2026-11-03T10:00:00Z", "k_test"});
    ASSERT_TRUE(store_->PutReportDocument(
        {"ma-cap-2", std::string(64, 'a'), "application/pdf", 1234, "2026-11-02T11:00:00Z",
         "k_test", "Annexe : essais de compostage des déchets verts.", "pdftotext"},
        ""));
    collectivite_ =
        service::CreateApiKey(*store_, service::Role::kCollectivite, "com-a", "tests").secret;
  }

  static void AddNeed(const std::string& id, const std::string& country, const std::string& theme,
                      const std::string& description) {
    Json need{{"id", id},
              {"country", country},
              {"partner", {{"name", "Commune partenaire"}}},
              {"themes", {{{"theme", theme}}}},
              {"period", {{"start", "2027-05-01"}, {"end", "2027-05-10"}}},
              {"description", description}};
    auto result = Post("/v1/needs", need.dump());
    ASSERT_TRUE(result);
    ASSERT_EQ(result->status, 201) << result->body;
  }

  static Json Body(const httplib::Result& result, int status) {
    EXPECT_TRUE(result);
    if (!result) return Json();
    EXPECT_EQ(result->status, status) << result->body;
    return Json::parse(result->body);
  }
  static std::vector<std::string> Needs(const Json& page) {
    std::vector<std::string> out;
    for (const Json& item : page["items"]) out.push_back(item["need"]);
    return out;
  }

  static inline std::string collectivite_;
};

TEST_F(ReportSearchApi, WordsFindReportsWithTheirSnippetsAndAuthorities) {
  Json page = Body(Get("/v1/reports?q=Formations"), 200);
  EXPECT_EQ(Needs(page), (std::vector<std::string>{"sn-cap-1", "ma-cap-2"}));
  EXPECT_EQ(page["total"], 2);
  EXPECT_EQ(page["limit"], 10);
  EXPECT_EQ(page["offset"], 0);
  EXPECT_EQ(page["searched_words"], Json::parse(R"(["formations"])"));
  const Json& first = page["items"][0];
  EXPECT_EQ(first["country"], "SN");
  EXPECT_EQ(first["themes"], Json::parse(R"(["env.eau"])"));
  EXPECT_EQ(first["collectivite"], "com-a");
  EXPECT_EQ(first["collectivite_name"], "Commune A");
  EXPECT_TRUE(first["mission_start"].is_null());  // no mission recorded for this need
  EXPECT_TRUE(first["mission_end"].is_null());
  EXPECT_EQ(first["matched_fields"], Json::parse(R"(["recommandations", "description"])"));
  EXPECT_EQ(first["snippet_field"], "recommandations");
  EXPECT_EQ(first["snippet"], "Poursuivre la <mark>formation</mark> des fontainiers.");
  EXPECT_GT(first["score"].get<double>(), page["items"][1]["score"].get<double>());

  // The document's text is searched too, and its snippet is escaped.
  Json compost = Body(Get("/v1/reports?q=compostage", analyst_), 200);
  EXPECT_EQ(Needs(compost), (std::vector<std::string>{"ma-cap-2"}));
  EXPECT_EQ(compost["items"][0]["matched_fields"], Json::parse(R"(["document"])"));
  EXPECT_EQ(compost["items"][0]["snippet"],
            "Annexe : essais de <mark>compostage</mark> des déchets verts.");
  Json irrigation = Body(Get("/v1/reports?q=goutte"), 200);
  EXPECT_EQ(irrigation["items"][0]["snippet"],
            "Irrigation <mark>goutte</mark> à <mark>goutte</mark> &lt;script&gt;x&lt;/script&gt; "
            "réussie.");
}

TEST_F(ReportSearchApi, FiltersAloneOrWithWords) {
  EXPECT_EQ(Needs(Body(Get("/v1/reports?theme=env"), 200)),
            (std::vector<std::string>{"ma-cap-2", "sn-cap-1"}));
  EXPECT_EQ(Needs(Body(Get("/v1/reports?theme=env.eau&theme=agri"), 200)),
            (std::vector<std::string>{"sn-cap-1", "sn-cap-3"}));
  EXPECT_EQ(Needs(Body(Get("/v1/reports?q=formation&country=SN"), 200)),
            (std::vector<std::string>{"sn-cap-1"}));
  // No mission has ended for these needs: a period finds none of them.
  Json period = Body(Get("/v1/reports?theme=env&from=2020-01-01&to=2030-12-31"), 200);
  EXPECT_EQ(period["total"], 0);
  Json paged = Body(Get("/v1/reports?country=SN&limit=1&offset=1"), 200);
  EXPECT_EQ(Needs(paged), (std::vector<std::string>{"sn-cap-3"}));
  EXPECT_EQ(paged["total"], 2);
}

TEST_F(ReportSearchApi, BadParametersAre422sNamingThem) {
  ExpectProblem(Get("/v1/reports"), 422, "q", "parameter");
  ExpectProblem(Get("/v1/reports?q="), 422, "q", "parameter");
  ExpectProblem(Get("/v1/reports?q=" + std::string(501, 'a')), 422, "q", "parameter");
  EXPECT_EQ(Get("/v1/reports?q=" + std::string(500, 'a'))->status, 200);
  ExpectProblem(Get("/v1/reports?q=eau&from=2026-02-30"), 422, "from", "parameter");
  ExpectProblem(Get("/v1/reports?q=eau&to=demain"), 422, "to", "parameter");
  ExpectProblem(Get("/v1/reports?from=2026-02-01&to=2026-01-01"), 422, "to", "parameter");
  ExpectProblem(Get("/v1/reports?theme=env.inconnu"), 422, "theme", "parameter");
  ExpectProblem(Get("/v1/reports?country=XX"), 422, "country", "parameter");
  ExpectProblem(Get("/v1/reports?q=eau&limit=0"), 422, "limit", "parameter");
  ExpectProblem(Get("/v1/reports?q=eau&limit=51"), 422, "limit", "parameter");
  EXPECT_EQ(Get("/v1/reports?q=eau&limit=50")->status, 200);
  ExpectProblem(Get("/v1/reports?q=eau&offset=-1"), 422, "offset", "parameter");
  ExpectProblem(Get("/v1/reports?q=eau&sort=date"), 422, "sort", "parameter");
  Json body = Body(Get("/v1/reports?country=XX&limit=0"), 422);
  EXPECT_EQ(body["errors"].size(), 2u);
}

TEST_F(ReportSearchApi, OnlyDaectAndAnalystsSearch) {
  EXPECT_EQ(Get("/v1/reports?q=eau", daect_)->status, 200);
  EXPECT_EQ(Get("/v1/reports?q=eau", analyst_)->status, 200);
  EXPECT_EQ(Get("/v1/reports?q=eau", embassy_sn_)->status, 403);
  EXPECT_EQ(Get("/v1/reports?q=eau", collectivite_)->status, 403);
  EXPECT_EQ(Get("/v1/reports?q=eau", "")->status, 401);
  // The overdue list is still its own route.
  Json overdue = Body(Get("/v1/reports/overdue"), 200);
  EXPECT_TRUE(overdue.is_object() || overdue.is_array());
}

TEST_F(ReportSearchApi, ANeedsRelatedReportsLeaveItOutAndFavourItsCountry) {
  // n1 (SN): "Diagnostic du réseau d'eau et de l'irrigation des périmètres maraîchers", themes
  // env.eau and agri.irrigation.
  Json related = Body(Get("/v1/needs/n1/related-reports"), 200);
  EXPECT_EQ(related["need"], "n1");
  EXPECT_EQ(related["limit"], 3);
  EXPECT_EQ(Needs(related), (std::vector<std::string>{"sn-cap-3", "sn-cap-1"}));
  // A report's own need is left out.
  Json own = Body(Get("/v1/needs/sn-cap-1/related-reports?limit=10"), 200);
  for (const Json& item : own["items"]) EXPECT_NE(item["need"], "sn-cap-1");
  EXPECT_EQ(Needs(Body(Get("/v1/needs/sn-cap-1/related-reports?limit=1"), 200)).size(), 1u);

  ExpectProblem(Get("/v1/needs/n1/related-reports?limit=11"), 422, "limit", "parameter");
  ExpectProblem(Get("/v1/needs/n1/related-reports?q=x"), 422, "q", "parameter");
}

TEST_F(ReportSearchApi, AnotherCountrysNeedIsUnknownToAnEmbassy) {
  EXPECT_EQ(Get("/v1/needs/n1/related-reports", embassy_sn_)->status, 200);
  auto hidden = Get("/v1/needs/n1/related-reports", embassy_ma_);
  auto unknown = Get("/v1/needs/n-none/related-reports", embassy_ma_);
  ASSERT_TRUE(hidden && unknown);
  EXPECT_EQ(hidden->status, 404);
  EXPECT_EQ(unknown->status, 404);
  Json a = Json::parse(hidden->body), b = Json::parse(unknown->body);
  EXPECT_EQ(a["errors"], b["errors"]);
  EXPECT_EQ(a["detail"], "unknown need \"n1\"");
  EXPECT_EQ(b["detail"], "unknown need \"n-none\"");
  // The same answer as reading the need itself.
  auto need = Get("/v1/needs/n1", embassy_ma_);
  ASSERT_TRUE(need);
  EXPECT_EQ(Json::parse(need->body)["errors"], a["errors"]);
  EXPECT_EQ(Get("/v1/needs/n1/related-reports", collectivite_)->status, 403);
}

TEST_F(ReportSearchApi, AnEmbassyReadsItsOwnCountrysReportsOnly) {
  // sn-cap-1 asks for training ("formation"): Morocco's ma-cap-2 report speaks of it.
  Json daect = Body(Get("/v1/needs/sn-cap-1/related-reports?limit=10"), 200);
  EXPECT_EQ(Needs(daect), (std::vector<std::string>{"ma-cap-2"}));
  Json embassy = Body(Get("/v1/needs/sn-cap-1/related-reports?limit=10", embassy_sn_), 200);
  EXPECT_EQ(embassy["total"], 0);
  EXPECT_TRUE(embassy["items"].empty());
}

TEST_F(ReportSearchApi, TheIndexFollowsTheReportsAsTheyAreWritten) {
  EXPECT_EQ(Body(Get("/v1/reports?q=fuites"), 200)["total"], 1);
  store_->PutReport({"n2", "com-b",
                     R"({"resultats": "Réduction des fuites du réseau de 20 %.",
                         "recommandations": "", "suites_envisagees": ""})",
                     "2026-11-04T10:00:00Z", "k_test"});
  Json after = Body(Get("/v1/reports?q=fuites"), 200);
  EXPECT_EQ(Needs(after), (std::vector<std::string>{"n2", "sn-cap-1"}));
  // A summary rewritten: its old words are gone.
  store_->PutReport({"n2", "com-b",
                     R"({"resultats": "Compteurs posés.", "recommandations": "",
                         "suites_envisagees": ""})",
                     "2026-11-04T10:00:00Z", "k_test"});
  EXPECT_EQ(Needs(Body(Get("/v1/reports?q=fuites"), 200)), (std::vector<std::string>{"sn-cap-1"}));
  EXPECT_EQ(Needs(Body(Get("/v1/reports?q=compteurs"), 200)), (std::vector<std::string>{"n2"}));
}

}  // namespace
}  // namespace expectmatch

namespace expectmatch {
namespace {

// `expectmatch reports import`: summaries written from a file, all or none.
TEST(ReportsCommand, ImportsValidSummariesAndRefusesAFileWithAnyError) {
  testing::ScratchDir scratch;
  const std::string db = (scratch.path() / "x.db").string();
  ASSERT_EQ(
      testing::Expectmatch("import --data " + testing::TestData("tiny").string() + " --db " + db)
          .exit_code,
      0);
  const auto bad = scratch.path() / "bad.json";
  testing::WriteFile(bad, R"([
    {"need": "n1", "collectivite": "com-a", "resultats": "Diagnostic posé."},
    {"need": "n-none", "collectivite": "com-zz", "resultats": 3, "daect_rating": 9, "x": 1}
  ])");
  testing::CliRun refused = testing::Expectmatch("reports import " + bad.string() + " --db " + db);
  EXPECT_EQ(refused.exit_code, 1);
  for (const char* line :
       {"[1].need : besoin inconnu « n-none »\n",
        "[1].collectivite : collectivité inconnue « com-zz »\n", "[1].resultats : texte attendu\n",
        "[1] : resultats, recommandations ou suites_envisagees est requis\n",
        "[1].daect_rating : entier de 1 à 5 attendu\n", "[1].x : champ inconnu\n",
        "erreur : aucun compte rendu importé\n"}) {
    EXPECT_NE(refused.output.find(line), std::string::npos) << line << "\n" << refused.output;
  }
  {
    store::Store store(db);
    EXPECT_TRUE(store.Reports().empty());  // the valid one was not written either
  }

  const auto good = scratch.path() / "good.json";
  testing::WriteFile(good, R"([{"need": "n1", "collectivite": "com-a",
    "resultats": "Diagnostic posé.", "recommandations": "Former les fontainiers.",
    "partner_rating": 5}])");
  testing::CliRun imported =
      testing::Expectmatch("reports import " + good.string() + " --db " + db);
  EXPECT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_EQ(imported.output, "1 compte(s) rendu(s) importé(s)\n");
  store::Store store(db);
  std::vector<store::ReportRow> rows = store.Reports();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].need, "n1");
  EXPECT_EQ(rows[0].collectivite, "com-a");
  EXPECT_EQ(rows[0].updated_by, "cli");
  EXPECT_EQ(datasets::Json::parse(rows[0].json),
            datasets::Json::parse(R"({"resultats": "Diagnostic posé.",
              "recommandations": "Former les fontainiers.", "partner_rating": 5})"));
}

}  // namespace
}  // namespace expectmatch
