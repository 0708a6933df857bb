// GET /v1/coverage on a live server: the tiny data set plus needs written for these tests,
// whose coverage is worked out by hand below.
//
// The tiny set's authorities in 2027 (tests/data/tiny): com-a (Bretagne; env.eau,
// agri.irrigation; fr; 2 a year, one taken by n2), com-b (Occitanie; env.dechets,
// agri.irrigation, env.eau until 2027-01-31; fr, en), dep-c (Grand Est; env; fr, en), reg-d
// (Normandie; env.eau; its one mission of 2027 is done: no capacity), com-e (Corse;
// culture.musees; fr), com-f (Bretagne; env.eau; fr), com-g (Guyane; env.eau; es, pt).
//
// The needs of 2027 and who can take them:
//   n1  SN env.eau + agri.irrigation, fr/en, com-f excluded: com-a, com-b, dep-c
//   n2  MA env.eau, fr (assigned to com-a): com-a, dep-c, com-f
//   ml-musees  ML culture.musees, de: no one (com-e speaks no German; 6 have no label)
//   ml-dechets ML env.dechets, com-b and dep-c excluded: no one (2 conflicts, 5 no label)
//   ml-eau     ML env.eau, fr: com-a, dep-c, com-f
// Not counted: ml-annule (cancelled) and ml-2028 (after the period).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "live_server.h"

namespace expectmatch {
namespace {

using datasets::Json;

class CoverageApi : public testing::LiveServer<CoverageApi> {
 protected:
  static void SetUpTestSuite() {
    LiveServer::SetUpTestSuite();
    for (const char* need : {
             R"({"id": "ml-musees", "country": "ML", "partner": {"name": "Commune de Ségou"},
             "themes": [{"theme": "culture.musees"}], "languages": ["de"],
             "period": {"start": "2027-04-01", "end": "2027-04-05"}})",
             R"({"id": "ml-dechets", "country": "ML", "partner": {"name": "Commune de Kayes"},
             "themes": [{"theme": "env.dechets"}], "excluded": ["com-b", "dep-c"],
             "period": {"start": "2027-05-03", "end": "2027-05-07"}})",
             R"({"id": "ml-eau", "country": "ML", "partner": {"name": "Commune de Kayes"},
             "themes": [{"theme": "env.eau"}], "languages": ["fr"],
             "period": {"start": "2027-09-06", "end": "2027-09-10"}})",
             R"({"id": "ml-annule", "country": "ML", "partner": {"name": "Commune de Mopti"},
             "themes": [{"theme": "culture.musees"}], "languages": ["de"],
             "period": {"start": "2027-07-01", "end": "2027-07-05"}})",
             R"({"id": "ml-2028", "country": "ML", "partner": {"name": "Commune de Mopti"},
             "themes": [{"theme": "culture.musees"}], "languages": ["de"],
             "period": {"start": "2028-02-01", "end": "2028-02-05"}})",
         }) {
      httplib::Result posted = Post("/v1/needs", need);
      ASSERT_TRUE(posted);
      ASSERT_EQ(posted->status, 201) << posted->body;
    }
    httplib::Result cancelled = Patch("/v1/needs/ml-annule", R"({"status": "cancelled"})");
    ASSERT_TRUE(cancelled);
    ASSERT_EQ(cancelled->status, 200) << cancelled->body;
    service_->Refresh();
  }

  static Json Coverage(const std::string& query, const std::string& key = daect_) {
    httplib::Result result = Get("/v1/coverage?" + query, key);
    EXPECT_TRUE(result);
    if (!result) return Json();
    EXPECT_EQ(result->status, 200) << result->body;
    return Json::parse(result->body);
  }

  static const Json* Find(const Json& items, const char* key, const std::string& value) {
    for (const Json& item : items)
      if (item[key] == value) return &item;
    return nullptr;
  }

  static std::set<std::string> Ids(const Json& authorities) {
    std::set<std::string> ids;
    for (const Json& a : authorities) ids.insert(a["id"].get<std::string>());
    return ids;
  }

  // The région column of `region` in a theme × région row.
  static Json InRegion(const Json& coverage, const Json& row, const std::string& region) {
    const Json& regions = coverage["regions"];
    auto at = std::find(regions.begin(), regions.end(), region);
    EXPECT_NE(at, regions.end()) << region;
    return row["by_region"][static_cast<size_t>(at - regions.begin())];
  }
};

TEST_F(CoverageApi, CountsTheUncoveredNeedsOfEachCountryAndTheFiltersThatEmptiedThem) {
  Json c = Coverage("from=2027-01-01&to=2027-12-31");
  EXPECT_EQ(c["from"], "2027-01-01");
  EXPECT_EQ(c["to"], "2027-12-31");
  EXPECT_TRUE(c["theme"].is_null());
  EXPECT_EQ(c["profile"]["name"], "default");
  EXPECT_EQ(c["needs"], 5);  // n1, n2, ml-musees, ml-dechets, ml-eau
  EXPECT_EQ(c["uncovered_needs"], 2);
  EXPECT_DOUBLE_EQ(c["share_uncovered"].get<double>(), 0.4);

  // Mali first (most uncovered), then Morocco and Senegal (none), by code.
  ASSERT_EQ(c["countries"].size(), 3u) << c.dump();
  const Json& ml = c["countries"][0];
  EXPECT_EQ(ml["country"], "ML");
  EXPECT_EQ(ml["name"], "Mali");
  EXPECT_EQ(ml["needs"], 3);
  EXPECT_EQ(ml["uncovered_needs"], 2);
  EXPECT_DOUBLE_EQ(ml["share_uncovered"].get<double>(), 2.0 / 3.0);
  EXPECT_EQ(c["countries"][1]["country"], "MA");
  EXPECT_EQ(c["countries"][1]["uncovered_needs"], 0);
  EXPECT_EQ(c["countries"][2]["country"], "SN");
  EXPECT_EQ(c["countries"][2]["needs"], 1);

  ASSERT_EQ(ml["themes"].size(), 3u) << ml.dump();
  const Json& musees = ml["themes"][0];
  EXPECT_EQ(musees["theme"], "culture.musees");
  EXPECT_EQ(musees["label"], "Musées");
  EXPECT_EQ(musees["needs"], 1);
  EXPECT_EQ(musees["uncovered"], 1);
  EXPECT_EQ(musees["eligible_authorities"], 0);
  EXPECT_TRUE(musees["top_authorities"].empty());
  ASSERT_EQ(musees["uncovered_needs"].size(), 1u);
  EXPECT_EQ(musees["uncovered_needs"][0], Json::parse(R"({"id": "ml-musees", "status": "submitted",
              "period": {"start": "2027-04-01", "end": "2027-04-05"},
              "excluded": {"total": 7, "by_filter": {"conflict": 0, "declined": 0, "no_active_label": 6,
                                         "language": 1, "no_capacity": 0}}})"));
  const Json& dechets = ml["themes"][1];
  EXPECT_EQ(dechets["theme"], "env.dechets");
  ASSERT_EQ(dechets["uncovered_needs"].size(), 1u);
  EXPECT_EQ(dechets["uncovered_needs"][0]["id"], "ml-dechets");
  EXPECT_EQ(dechets["uncovered_needs"][0]["excluded"]["by_filter"],
            Json::parse(R"({"conflict": 2, "declined": 0, "no_active_label": 5, "language": 0,
                            "no_capacity": 0})"));
  const Json& eau = ml["themes"][2];
  EXPECT_EQ(eau["theme"], "env.eau");
  EXPECT_EQ(eau["uncovered"], 0);
  EXPECT_EQ(eau["eligible_authorities"], 3);
  EXPECT_EQ(Ids(eau["top_authorities"]), (std::set<std::string>{"com-a", "dep-c", "com-f"}));
  for (size_t i = 1; i < eau["top_authorities"].size(); ++i) {
    EXPECT_GE(eau["top_authorities"][i - 1]["score"].get<double>(),
              eau["top_authorities"][i]["score"].get<double>());
  }
  EXPECT_TRUE(eau["uncovered_needs"].empty());

  // n1 counts under both its themes, with the authorities that can take it.
  const Json& sn = c["countries"][2];
  ASSERT_EQ(sn["themes"].size(), 2u);
  EXPECT_EQ(sn["themes"][0]["theme"], "agri.irrigation");
  EXPECT_EQ(sn["themes"][1]["theme"], "env.eau");
  for (const Json& theme : sn["themes"]) {
    EXPECT_EQ(theme["eligible_authorities"], 3);
    EXPECT_EQ(Ids(theme["top_authorities"]), (std::set<std::string>{"com-a", "com-b", "dep-c"}));
  }
}

TEST_F(CoverageApi, ThemeByRegionTableCountsTheLabelsOfEachThemeInDemand) {
  Json c = Coverage("from=2027-01-01&to=2027-12-31");
  ASSERT_EQ(c["regions"].size(), 18u);
  // env.eau is named by 3 needs, the others by one each (then by id).
  ASSERT_EQ(c["theme_regions"].size(), 4u) << c["theme_regions"].dump();
  std::vector<std::string> order;
  for (const Json& row : c["theme_regions"]) order.push_back(row["theme"]);
  EXPECT_EQ(order, (std::vector<std::string>{"env.eau", "agri.irrigation", "culture.musees",
                                             "env.dechets"}));
  const Json& eau = c["theme_regions"][0];
  EXPECT_EQ(eau["needs"], 3);
  // com-a, com-f (Bretagne), com-b (its label ends 2027-01-31, within the period), dep-c (a
  // label on the whole domain), reg-d, com-g.
  EXPECT_EQ(eau["labelled_authorities"], 6);
  EXPECT_EQ(InRegion(c, eau, "Bretagne"), 2);
  EXPECT_EQ(InRegion(c, eau, "Occitanie"), 1);
  EXPECT_EQ(InRegion(c, eau, "Grand Est"), 1);
  EXPECT_EQ(InRegion(c, eau, "Normandie"), 1);
  EXPECT_EQ(InRegion(c, eau, "Guyane"), 1);
  EXPECT_EQ(InRegion(c, eau, "Corse"), 0);
  const Json& musees = c["theme_regions"][2];
  EXPECT_EQ(musees["labelled_authorities"], 1);
  EXPECT_EQ(InRegion(c, musees, "Corse"), 1);
  EXPECT_EQ(InRegion(c, musees, "Bretagne"), 0);
  const Json& dechets = c["theme_regions"][3];
  EXPECT_EQ(InRegion(c, dechets, "Occitanie"), 1);
  EXPECT_EQ(InRegion(c, dechets, "Grand Est"), 1);
  EXPECT_EQ(dechets["labelled_authorities"], 2);

  // From February, com-b's label on env.eau has ended.
  Json later = Coverage("from=2027-02-01&to=2027-12-31");
  EXPECT_EQ(InRegion(later, later["theme_regions"][0], "Occitanie"), 0);
  EXPECT_EQ(later["theme_regions"][0]["labelled_authorities"], 5);
}

TEST_F(CoverageApi, PeriodAndThemeChooseTheNeeds) {
  // Only the needs whose period meets [from, to]: n1 ends on 2027-03-05.
  Json day = Coverage("from=2027-03-05&to=2027-03-05");
  EXPECT_EQ(day["needs"], 1);
  ASSERT_EQ(day["countries"].size(), 1u);
  EXPECT_EQ(day["countries"][0]["country"], "SN");
  Json none = Coverage("from=2030-01-01&to=2030-12-31");
  EXPECT_EQ(none["needs"], 0);
  EXPECT_EQ(none["share_uncovered"], 0.0);
  EXPECT_TRUE(none["countries"].empty());
  EXPECT_TRUE(none["theme_regions"].empty());
  // 2028 brings ml-2028; the cancelled ml-annule never counts.
  Json two_years = Coverage("from=2027-01-01&to=2028-12-31");
  EXPECT_EQ(two_years["needs"], 6);
  EXPECT_EQ(two_years["uncovered_needs"], 3);

  // A domain keeps its sub-themes, and only them.
  Json culture = Coverage("from=2027-01-01&to=2027-12-31&theme=culture", analyst_);
  EXPECT_EQ(culture["theme"], "culture");
  EXPECT_EQ(culture["needs"], 1);
  EXPECT_EQ(culture["uncovered_needs"], 1);
  ASSERT_EQ(culture["countries"].size(), 1u);
  ASSERT_EQ(culture["countries"][0]["themes"].size(), 1u);
  EXPECT_EQ(culture["countries"][0]["themes"][0]["theme"], "culture.musees");
  ASSERT_EQ(culture["theme_regions"].size(), 1u);
  // n1 counts for env through env.eau, not under agri.irrigation.
  Json env = Coverage("from=2027-01-01&to=2027-12-31&theme=env");
  EXPECT_EQ(env["needs"], 4);
  EXPECT_EQ(env["uncovered_needs"], 1);
  const Json* sn = Find(env["countries"], "country", "SN");
  ASSERT_NE(sn, nullptr);
  ASSERT_EQ((*sn)["themes"].size(), 1u);
  EXPECT_EQ((*sn)["themes"][0]["theme"], "env.eau");
}

TEST_F(CoverageApi, InvalidParametersAreRefusedNamingThem) {
  ExpectProblem(Get("/v1/coverage?to=2027-12-31"), 422, "from", "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-01-01"), 422, "to", "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-13-01&to=2027-12-31"), 422, "from", "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-01-01&to=31/12/2027"), 422, "to", "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-06-01&to=2027-05-31"), 422, "to", "parameter");
  // Five years at most: the day before the fifth anniversary is the last one allowed.
  ExpectProblem(Get("/v1/coverage?from=2027-01-01&to=2032-01-01"), 422, "to", "parameter");
  EXPECT_EQ(Coverage("from=2027-01-01&to=2031-12-31")["needs"], 6);
  ExpectProblem(Get("/v1/coverage?from=2027-01-01&to=2027-12-31&theme=patrimoine"), 422, "theme",
                "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-01-01&to=2027-12-31&country=ML"), 422, "country",
                "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-01-01&to=2027-12-31&theme="), 422, "theme",
                "parameter");
  ExpectProblem(Get("/v1/coverage?from=2027-01-01&from=2027-02-01&to=2027-12-31"), 422, "from",
                "parameter");
  httplib::Result both = Get("/v1/coverage");
  ASSERT_TRUE(both);
  Json problem = Json::parse(both->body);
  ASSERT_EQ(problem["errors"].size(), 2u);
  EXPECT_EQ(problem["errors"][0]["parameter"], "from");
  EXPECT_EQ(problem["errors"][1]["parameter"], "to");
}

TEST_F(CoverageApi, OnlyDaectAndAnalystsMayReadIt) {
  const std::string query = "/v1/coverage?from=2027-01-01&to=2027-12-31";
  EXPECT_EQ(Get(query, embassy_sn_)->status, 403);
  EXPECT_EQ(Get(query, "")->status, 401);
  EXPECT_EQ(Get(query, analyst_)->status, 200);
}

}  // namespace
}  // namespace expectmatch
