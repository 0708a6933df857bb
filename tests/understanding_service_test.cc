// Partners recognised by name and themes suggested from text, on a live server over the tiny
// data set: /v1/partners, /v1/themes/suggest, needs submitted without themes, and the
// recognition that precedes every ranking.
#include <gtest/gtest.h>

#include "live_server.h"

namespace expectmatch {
namespace {

using testing::InProcessServer;
using Json = datasets::Json;

class Understanding : public testing::LiveServer<Understanding> {
 protected:
  static Json Body(const httplib::Result& result, int status) {
    EXPECT_TRUE(result);
    if (!result) return Json();
    EXPECT_EQ(result->status, status) << result->body;
    return Json::parse(result->body);
  }
  // The candidate `id` of a ranking, or null.
  static Json CandidateOf(const Json& ranking, const std::string& id) {
    for (const Json& c : ranking["candidates"])
      if (c["collectivite"]["id"] == id) return c;
    return nullptr;
  }
  static std::string Reason(const Json& candidate, const std::string& feature) {
    for (const Json& c : candidate["explanation"]["contributions"])
      if (c["feature"] == feature) return c["reason"];
    return "";
  }
  static std::string InlineMatch(const Json& partner) {
    Json need{{"country", "SN"},
              {"partner", partner},
              {"themes", {{{"theme", "env.eau"}}}},
              {"period", {{"start", "2027-03-01"}, {"end", "2027-03-05"}}}};
    return Json{{"need", need}, {"k", 10}}.dump();
  }
};

TEST_F(Understanding, ATypedPartnerIsRecognisedBeforeRanking) {
  // As typed by hand: com-a cooperates with the Commune de Podor, a direct partner.
  Json typed = Body(Post("/v1/match", InlineMatch({{"name", "Mairie de Podor"}})), 200);
  EXPECT_EQ(typed["need"]["partner"]["name"], "Mairie de Podor");
  ASSERT_TRUE(typed["need"]["partner"]["resolved"].is_object()) << typed["need"].dump();
  EXPECT_EQ(typed["need"]["partner"]["resolved"]["id"], "SN-podor");
  EXPECT_EQ(typed["need"]["partner"]["resolved"]["name"], "Commune de Podor");
  Json a = CandidateOf(typed, "com-a");
  ASSERT_TRUE(a.is_object());
  EXPECT_EQ(a["features"]["partner_history"], 1.0);
  EXPECT_EQ(Reason(a, "partner_history"),
            "Partenaire direct de Commune de Podor ; « Mairie de Podor » reconnu comme Commune "
            "de Podor");

  // An id in another case is the same partner, recognised by its id.
  Json by_id = Body(Post("/v1/match", InlineMatch({{"id", "sn-PODOR"}, {"name", "Podor"}})), 200);
  EXPECT_EQ(by_id["need"]["partner"]["resolved"]["matched_by"], "id");
  EXPECT_EQ(CandidateOf(by_id, "com-a")["features"]["partner_history"], 1.0);

  // The exact record needs no recognition: the reason says nothing more.
  Json exact =
      Body(Post("/v1/match", InlineMatch({{"id", "SN-podor"}, {"name", "Commune de Podor"}})), 200);
  EXPECT_EQ(Reason(CandidateOf(exact, "com-a"), "partner_history"),
            "Partenaire direct de Commune de Podor");

  // An unknown town is no partner: com-a only cooperates elsewhere in the country.
  Json unknown = Body(Post("/v1/match", InlineMatch({{"name", "Commune de Matam"}})), 200);
  EXPECT_TRUE(unknown["need"]["partner"]["resolved"].is_null());
  EXPECT_EQ(CandidateOf(unknown, "com-a")["features"]["partner_history"], 0.25);
  // A partner of another country is never recognised.
  Json foreign = Body(Post("/v1/match", InlineMatch({{"name", "Commune de Kayes"}})), 200);
  EXPECT_TRUE(foreign["need"]["partner"]["resolved"].is_null());
}

TEST_F(Understanding, PartnersAreSearchedInOneCountry) {
  Json found = Body(Get("/v1/partners?country=SN&q=MAIRIE%20DE%20PODOR"), 200);
  ASSERT_TRUE(found["resolved"].is_object()) << found.dump();
  EXPECT_EQ(found["resolved"]["id"], "SN-podor");
  EXPECT_EQ(found["resolved"]["country"], "SN");
  EXPECT_FALSE(found["candidates"].empty());
  // A name-only partner of the data set is an entity too.
  Json louga = Body(Get("/v1/partners?country=SN&q=Louga", embassy_sn_), 200);
  EXPECT_EQ(louga["resolved"]["id"], "SN-louga");
  // Never across countries.
  Json kayes = Body(Get("/v1/partners?country=SN&q=Commune%20de%20Kayes&limit=50"), 200);
  EXPECT_TRUE(kayes["resolved"].is_null());
  for (const Json& c : kayes["candidates"]) EXPECT_EQ(c["country"], "SN");

  ExpectProblem(Get("/v1/partners?country=SN"), 422, "q", "parameter");
  ExpectProblem(Get("/v1/partners?country=SN&q=%20-%20"), 422, "q", "parameter");
  ExpectProblem(Get("/v1/partners?country=XX&q=Podor"), 422, "country", "parameter");
  ExpectProblem(Get("/v1/partners?country=SN&q=Podor&limit=0"), 422, "limit", "parameter");
  ExpectProblem(Get("/v1/partners?country=SN&q=Podor", embassy_ma_), 403, "country", "parameter");
}

TEST_F(Understanding, APartnerShowsItsCooperationsAndHidesFromOtherCountries) {
  Json podor = Body(Get("/v1/partners/sn-podor", analyst_), 200);
  EXPECT_EQ(podor["id"], "SN-podor");
  EXPECT_EQ(podor["country_name"], "Sénégal");
  ASSERT_EQ(podor["cooperations"].size(), 1u);
  EXPECT_EQ(podor["cooperations"][0]["collectivite"]["id"], "com-a");
  EXPECT_EQ(podor["cooperations"][0]["collectivite"]["name"], "Commune A");

  // Another country's partner answers exactly as an unknown one.
  auto hidden = Get("/v1/partners/SN-podor", embassy_ma_);
  auto unknown = Get("/v1/partners/SN-podor", embassy_ma_);
  ASSERT_TRUE(hidden && unknown);
  EXPECT_EQ(hidden->status, 404);
  Json a = Json::parse(hidden->body), b = Json::parse(Get("/v1/partners/XX-none")->body);
  EXPECT_EQ(a["status"], b["status"]);
  EXPECT_EQ(a["errors"], b["errors"]);
  EXPECT_EQ(a["detail"], "unknown partner \"SN-podor\"");
}

TEST_F(Understanding, DaectAttachesAliasesThatRecognitionThenFinds) {
  const size_t before = store_->PartnerAliases().size();
  auto analyst = PostAs(analyst_, "/v1/partners/SN-thies/aliases", R"({"alias": "Cité du Rail"})");
  ASSERT_TRUE(analyst);
  EXPECT_EQ(analyst->status, 403);
  ExpectProblem(Post("/v1/partners/SN-thies/aliases", R"({"alias": " ' "})"), 422, "/alias");
  ExpectProblem(Post("/v1/partners/SN-thies/aliases", R"({"alias": "Commune de Podor"})"), 409,
                "/alias");
  ExpectProblem(Post("/v1/partners/SN-thies/aliases", R"({"alias": "x", "extra": 1})"), 422,
                "/extra");
  EXPECT_EQ(store_->PartnerAliases().size(), before);  // nothing stored on a refusal

  Json thies = Body(Post("/v1/partners/SN-thies/aliases", R"({"alias": "Cité du Rail"})"), 200);
  EXPECT_EQ(thies["aliases"], Json::array({"Cité du Rail"}));
  // Recorded once: the same spelling again changes nothing.
  Body(Post("/v1/partners/SN-thies/aliases", R"({"alias": "CITE DU RAIL"})"), 200);
  ASSERT_EQ(store_->PartnerAliases().size(), before + 1);
  EXPECT_EQ(store_->PartnerAliases().back().source, "daect");

  service_->Refresh();
  Json found = Body(Get("/v1/partners?country=SN&q=cite%20du%20rail"), 200);
  EXPECT_EQ(found["resolved"]["id"], "SN-thies");
  EXPECT_EQ(found["resolved"]["matched_by"], "alias");
}

TEST_F(Understanding, ThemesAreSuggestedFromFrenchText) {
  Json answer = Body(Post("/v1/themes/suggest",
                          R"({"text": "Nous voulons améliorer la gestion des déchets ménagers."})",
                          "application/json", embassy_sn_),
                     200);
  ASSERT_FALSE(answer["suggestions"].empty()) << answer.dump();
  EXPECT_EQ(answer["suggestions"][0]["theme"], "env.dechets");
  EXPECT_EQ(answer["suggestions"][0]["label"], "Gestion des déchets");
  EXPECT_EQ(answer["suggestions"][0]["score"], 1.0);
  EXPECT_FALSE(answer["suggestions"][0]["evidence"].empty());

  ExpectProblem(Post("/v1/themes/suggest", R"({"text": ""})"), 422, "/text");
  ExpectProblem(Post("/v1/themes/suggest", R"({})"), 422, "/text");
  ExpectProblem(Post("/v1/themes/suggest", R"({"text": "eau", "k": 0})"), 422, "/k");
  ExpectProblem(Post("/v1/themes/suggest", Json{{"text", std::string(20 * 1024 + 1, 'a')}}.dump()),
                422, "/text");
}

TEST_F(Understanding, ANeedWithoutThemesIsSuggestedSomeAndCannotBeMatchedUntilConfirmed) {
  const std::string need = R"({"country": "SN", "partner": {"name": "Mairie de Podor"},
      "period": {"start": "2027-09-01", "end": "2027-09-05"},
      "description": "La commune souhaite améliorer la gestion des déchets ménagers du marché."})";
  Json submitted = Body(PostAs(embassy_sn_, "/v1/needs", need), 201);
  const std::string id = submitted["id"];
  EXPECT_EQ(submitted["themes"], Json::array());
  ASSERT_FALSE(submitted["suggested_themes"].empty());
  EXPECT_EQ(submitted["suggested_themes"][0]["theme"], "env.dechets");
  EXPECT_EQ(submitted["partner_resolved"]["id"], "SN-podor");
  EXPECT_EQ(submitted["possible_duplicates"], Json::array());
  Json read = Body(Get("/v1/needs/" + id), 200);
  EXPECT_EQ(read["suggested_themes"], submitted["suggested_themes"]);

  // Matching it is refused, naming /themes, with the suggestions.
  auto refused = Post("/v1/match", Json{{"need_id", id}}.dump());
  ExpectProblem(refused, 422, "/themes");
  EXPECT_EQ(Json::parse(refused->body)["suggested_themes"][0]["theme"], "env.dechets");

  // The same need again is a possible duplicate of the first.
  Json again = Body(PostAs(embassy_sn_, "/v1/needs", need), 201);
  ASSERT_EQ(again["possible_duplicates"].size(), 1u) << again.dump();
  EXPECT_EQ(again["possible_duplicates"][0]["id"], id);
  EXPECT_EQ(again["possible_duplicates"][0]["similarity"], 1.0);

  // DAECT confirms the themes: the need can be matched, its partner recognised.
  Body(Patch("/v1/needs/" + id, R"({"themes": [{"theme": "env.dechets"}]})"), 200);
  service_->Refresh();
  Json ranking = Body(Post("/v1/match", Json{{"need_id", id}}.dump()), 200);
  EXPECT_EQ(ranking["need"]["partner"]["resolved"]["id"], "SN-podor");

  // Neither themes nor description: the need is refused, naming /themes.
  ExpectProblem(PostAs(embassy_sn_, "/v1/needs",
                       R"({"country": "SN", "partner": {"name": "Podor"},
                           "period": {"start": "2027-09-01", "end": "2027-09-05"}})"),
                422, "/themes");
}

TEST_F(Understanding, ADecisionOnATypedPartnerTeachesItsSpelling) {
  Json submitted =
      Body(Post("/v1/needs", R"j({"country": "SN", "partner": {"name": "PODOR (commune)"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-10-01", "end": "2027-10-03"}})j"),
           201);
  ASSERT_EQ(submitted["partner_resolved"]["id"], "SN-podor") << submitted.dump();
  Body(Post("/v1/needs/" + submitted["id"].get<std::string>() + "/decision",
            R"({"collectivite": "com-a"})"),
       200);
  const std::vector<store::PartnerAliasRow> aliases = store_->PartnerAliases();
  ASSERT_FALSE(aliases.empty());
  EXPECT_EQ(aliases.back().partner, "SN-podor");
  EXPECT_EQ(aliases.back().alias, "PODOR (commune)");
  EXPECT_EQ(aliases.back().source, "decision");
}

TEST(UnderstandingMerge, MergedRecordsAreOnePartner) {
  InProcessServer live({});
  ASSERT_TRUE(live.bound);
  auto client = live.Client(live.daect.secret);
  // Louga's record is merged into Thiès (as if both were the same town).
  auto merged =
      client.Post("/v1/partners/SN-louga/merge", R"({"into": "SN-thies"})", "application/json");
  ASSERT_TRUE(merged);
  ASSERT_EQ(merged->status, 200) << merged->body;
  Json thies = Json::parse(merged->body);
  EXPECT_EQ(thies["id"], "SN-thies");
  EXPECT_EQ(thies["merged_ids"], Json::array({"SN-louga"}));
  EXPECT_EQ(thies["aliases"], Json::array({"Commune de Louga"}));
  // Both cooperations now count as cooperations with Thiès.
  EXPECT_EQ(thies["cooperations"].size(), 2u);
  auto old_id = client.Get("/v1/partners/sn-louga");
  ASSERT_TRUE(old_id);
  EXPECT_EQ(Json::parse(old_id->body)["id"], "SN-thies");

  for (const auto& [body, field] :
       std::vector<std::pair<std::string, std::string>>{{R"({"into": "ML-kayes"})", "/into"},
                                                        {R"({"into": "SN-thies"})", "/into"},
                                                        {R"({"into": "SN-none"})", "/into"},
                                                        {R"({})", "/into"}}) {
    auto refused = client.Post("/v1/partners/SN-dakar/merge",
                               body == R"({"into": "SN-thies"})" ? R"({"into": "SN-dakar"})" : body,
                               "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 422) << body << " " << refused->body;
    EXPECT_EQ(Json::parse(refused->body)["errors"][0]["pointer"], field);
  }
  EXPECT_EQ(live.store->PartnerMerges().size(), 1u);  // nothing stored on a refusal
}

}  // namespace
}  // namespace expectmatch
