// The service over real HTTP: a live server on an ephemeral port, on the tiny data set.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "live_server.h"

namespace expectmatch::api {
namespace {

using datasets::Json;

class LiveServer : public testing::LiveServer<LiveServer> {};

TEST_F(LiveServer, HealthzAnswers) {
  auto result = Get("/healthz");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["collectivites"], 7);
  EXPECT_EQ(body["schema_version"], 12);
}

TEST_F(LiveServer, MatchesAStoredNeedWithExplanations) {
  auto result = Post("/v1/match", R"({"need_id": "n1"})");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["need"]["id"], "n1");
  EXPECT_EQ(body["need"]["country_name"], "Sénégal");
  EXPECT_EQ(body["profile"]["name"], "default");
  EXPECT_EQ(body["profile"]["version"], 1);
  EXPECT_EQ(body["profile"]["weights"]["thematic"], 0.30);
  EXPECT_EQ(body["profile"]["weights"]["partner_history"], 0.10);
  EXPECT_EQ(body["considered"], 7);
  EXPECT_EQ(body["eligible"], 3);
  EXPECT_EQ(body["excluded"]["total"], 4);
  EXPECT_EQ(body["excluded"]["by_filter"],
            Json::parse(
                R"({"conflict":1,"declined":0,"no_active_label":1,"language":1,"no_capacity":1})"));
  ASSERT_EQ(body["candidates"].size(), 3u);
  std::vector<std::string> order;
  for (const Json& candidate : body["candidates"]) {
    order.push_back(candidate["collectivite"]["id"]);
    double sum = 0;
    for (const Json& c : candidate["explanation"]["contributions"])
      sum += c["contribution"].get<double>();
    EXPECT_NEAR(sum, candidate["score"].get<double>(), 1e-9);
    EXPECT_EQ(candidate["explanation"]["reasons"].size(), 6u);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"com-a", "com-b", "dep-c"}));
  EXPECT_NEAR(body["candidates"][2]["score"].get<double>(), 0.525 + 0.15 * (1.0 - std::exp2(-0.25)),
              1e-12);
  EXPECT_EQ(body["candidates"][0]["rank"], 1);
  EXPECT_EQ(body["candidates"][0]["explanation"]["reasons"][2],
            "Partenaire direct de Commune de Podor");
}

TEST_F(LiveServer, HonoursKExplainAndIncludeExcluded) {
  // curl's default form content type is accepted for JSON bodies.
  auto result =
      Post("/v1/match", R"({"need_id": "n1", "k": 1, "explain": false, "include_excluded": true})",
           "application/x-www-form-urlencoded");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  Json body = Json::parse(result->body);
  ASSERT_EQ(body["candidates"].size(), 1u);
  EXPECT_FALSE(body["candidates"][0].contains("explanation"));
  EXPECT_EQ(body["candidates"][0]["features"]["availability"], 0.5);
  ASSERT_EQ(body["excluded"]["items"].size(), 4u);
  EXPECT_EQ(body["excluded"]["items"][0]["collectivite"]["id"], "com-e");
  EXPECT_EQ(body["excluded"]["items"][0]["filter"], "no_active_label");
}

TEST_F(LiveServer, MatchesAnInlineNeed) {
  auto result =
      Post("/v1/match", R"({"need": {"country": "SN", "partner": {"name": "Commune de Podor"},
      "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
      "period": {"start": "2027-03-01", "end": "2027-03-05"}}})");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->status, 200) << result->body;
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["need"]["id"], "inline");
  // com-f is not excluded here (no conflict declared) and speaks fr.
  std::vector<std::string> ids;
  for (const Json& c : body["candidates"]) ids.push_back(c["collectivite"]["id"]);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "com-f"), ids.end());
}

TEST_F(LiveServer, RefusesBadMatchRequestsNamingTheField) {
  ExpectProblem(Post("/v1/match", R"({"need_id": )"), 400, "");
  ExpectProblem(Post("/v1/match", R"([1, 2])"), 422, "");
  ExpectProblem(Post("/v1/match", R"({"need_id": 5})"), 422, "/need_id");
  ExpectProblem(Post("/v1/match", R"({})"), 422, "/need_id");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "need": {}})"), 422, "/need");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "k": "3"})"), 422, "/k");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "k": 0})"), 422, "/k");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "k": 101})"), 422, "/k");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "k": 18446744073709551615})"), 422, "/k");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "k": 2.5})"), 422, "/k");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "explain": "yes"})"), 422, "/explain");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "kk": 3})"), 422, "/kk");
  ExpectProblem(Post("/v1/match", R"({"need_id": "nope"})"), 404, "/need_id");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "profile": "rare-countries"})"), 422,
                "/profile");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "profile_version": 9})"), 422,
                "/profile_version");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "weights": {"thematic": -0.1}})"), 422,
                "/weights/thematic");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "weights": {"thematic": 11}})"), 422,
                "/weights/thematic");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "weights": {"thematic": "0.5"}})"), 422,
                "/weights/thematic");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "weights": {"thematik": 0.5}})"), 422,
                "/weights/thematik");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "weights": [0.5]})"), 422, "/weights");
  ExpectProblem(
      Post(
          "/v1/match",
          R"({"need_id": "n1", "profile": "ouverture", "weights": {"thematic": 0, "track_record": 0,
      "language": 0, "availability": 0}})"),
      422, "/weights");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "weights": {"thematic": NaN}})"), 400, "");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1", "max_per_region": 0})"), 422,
                "/max_per_region");
  ExpectProblem(Post("/v1/match", R"({"need": {"country": "ZZ", "partner": {"name": "P"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})"),
                422, "/need/country");
  ExpectProblem(Post("/v1/match", R"({"need": {"country": "SN", "partner": {"name": "P"},
      "themes": [{"theme": "patrimoine.musee"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})"),
                422, "/need/themes/0/theme");
  ExpectProblem(Post("/v1/match", R"({"need": {"country": "SN", "partner": {"name": "P"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-03-01", "end": "2027-02-05"}}})"),
                422, "/need/period/end");
  ExpectProblem(Post("/v1/match", R"({"need_id": "n1"})", "text/plain"), 415, "Content-Type",
                "parameter");
}

TEST_F(LiveServer, NamesAProfileOverridesWeightsAndEchoesThem) {
  auto result = Post("/v1/match",
                     R"({"need_id": "n1", "profile": "ouverture", "weights": {"language": 0.5}})");
  ASSERT_EQ(result->status, 200) << result->body;
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["profile"]["name"], "ouverture");
  EXPECT_EQ(body["profile"]["version"], 1);
  EXPECT_EQ(body["profile"]["weights"],
            Json::parse(R"({"thematic": 0.4, "country_presence": 0.0, "partner_history": 0.0,
      "track_record": 0.3, "language": 0.5, "availability": 0.15})"));
  EXPECT_EQ(body["profile"]["overridden"], Json::parse(R"(["language"])"));
  for (const Json& candidate : body["candidates"]) {
    double sum = 0;
    for (const Json& c : candidate["explanation"]["contributions"]) {
      EXPECT_DOUBLE_EQ(c["contribution"].get<double>(),
                       c["value"].get<double>() * c["weight"].get<double>());
      sum += c["contribution"].get<double>();
    }
    EXPECT_NEAR(sum, candidate["score"].get<double>(), 1e-9);
  }
  // com-a speaks half the languages: raising that weight drops it below dep-c.
  EXPECT_EQ(body["candidates"][0]["collectivite"]["id"], "dep-c");
}

TEST_F(LiveServer, AppliesTheDiversityCap) {
  // No conflict declared: com-a and com-f, both in Bretagne, are eligible together.
  const std::string need = R"("need": {"country": "SN", "partner": {"name": "Commune de Podor"},
      "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
      "period": {"start": "2027-03-01", "end": "2027-03-05"}})";
  auto uncapped = Post("/v1/match", "{" + need + "}");
  ASSERT_EQ(uncapped->status, 200) << uncapped->body;
  const Json all = Json::parse(uncapped->body);
  std::map<std::string, int> per_region;
  for (const Json& c : all["candidates"])
    ++per_region[c["collectivite"]["region"].get<std::string>()];
  ASSERT_EQ(per_region["Bretagne"], 2) << uncapped->body;
  size_t over_cap = 0;
  for (const auto& [region, count] : per_region) over_cap += static_cast<size_t>(count - 1);

  auto result = Post("/v1/match", "{" + need + R"(, "max_per_region": 1})");
  ASSERT_EQ(result->status, 200) << result->body;
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["diversity"]["max_per_region"], 1);
  EXPECT_GE(body["diversity"]["skipped"].get<size_t>(), 1u);
  EXPECT_EQ(body["diversity"]["skipped"].get<size_t>(), over_cap);
  std::set<std::string> regions;
  for (const Json& c : body["candidates"]) {
    EXPECT_TRUE(regions.insert(c["collectivite"]["region"].get<std::string>()).second)
        << "two candidates of " << c["collectivite"]["region"] << ": " << result->body;
  }
  EXPECT_EQ(regions.size(), per_region.size());  // one per région, none lost
}

TEST_F(LiveServer, LogsEveryServedRanking) {
  log_->Flush();  // rows of earlier tests may still be queued
  size_t before = store_->RankingLogSize();
  auto result = Post("/v1/match", R"({"need_id": "n1", "k": 2})");
  ASSERT_EQ(result->status, 200);
  std::string request_id = Json::parse(result->body)["request_id"];
  EXPECT_EQ(request_id.size(), 32u);
  EXPECT_EQ(result->get_header_value("X-Request-Id"), request_id);
  log_->Flush();
  EXPECT_EQ(store_->RankingLogSize(), before + 1);
  store::RankingLogRow row = store_->RecentRankingLog(1).at(0);
  EXPECT_EQ(row.request_id, request_id);
  EXPECT_EQ(row.need_id, "n1");
  EXPECT_EQ(row.profile, "default");
  EXPECT_EQ(row.profile_version, 1);
  Json candidates = Json::parse(row.candidates);
  ASSERT_EQ(candidates.size(), 2u);
  EXPECT_EQ(candidates[0][0], "com-a");
  EXPECT_EQ(candidates[0][2][static_cast<size_t>(matcher::Feature::kPartnerHistory)], 1.0);
  EXPECT_TRUE(row.need.empty());  // a stored need, by reference: its id and hash
  EXPECT_EQ(row.need_hash.size(), 64u);
  // Refused requests are not logged.
  Post("/v1/match", R"({"need_id": "n1", "k": 0})");
  log_->Flush();
  EXPECT_EQ(store_->RankingLogSize(), before + 1);
  // A later ranking's id sorts after (the log's index on them grows at its end).
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto later = Post("/v1/match", R"({"need_id": "n1", "k": 2})");
  ASSERT_EQ(later->status, 200);
  EXPECT_GT(Json::parse(later->body)["request_id"].get<std::string>(), request_id);
}

TEST_F(LiveServer, ServesProfiles) {
  auto all = Get("/v1/profiles");
  ASSERT_EQ(all->status, 200);
  Json body = Json::parse(all->body);
  ASSERT_EQ(body["total"], 2);
  EXPECT_EQ(body["items"][0]["name"], "default");
  EXPECT_EQ(body["items"][0]["weights"]["thematic"], 0.30);
  auto one = Get("/v1/profiles/ouverture");
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Json::parse(one->body)["versions"].size(), 1u);
  EXPECT_EQ(Get("/v1/profiles/ouverture?version=1")->status, 200);
  ExpectProblem(Get("/v1/profiles/ouverture?version=2"), 404, "version", "parameter");
  ExpectProblem(Get("/v1/profiles/nope"), 404, "name", "parameter");
  ExpectProblem(Get("/v1/profiles/default?version=x"), 400, "version", "parameter");
}

TEST_F(LiveServer, RefusesOversizedBodies) {
  std::string huge = R"({"need_id": "n1", "pad": ")" + std::string(2 << 20, 'x') + "\"}";
  auto result = Post("/v1/match", huge);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 413);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_EQ(Json::parse(result->body)["status"], 413);
  EXPECT_EQ(Get("/healthz")->status, 200);
}

TEST_F(LiveServer, ListsAndReadsNeeds) {
  auto all = Get("/v1/needs");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200);
  Json body = Json::parse(all->body);
  EXPECT_EQ(body["total"], 2);
  EXPECT_EQ(body["items"][0]["id"], "n1");
  EXPECT_EQ(Json::parse(Get("/v1/needs?status=assigned&country=MA")->body)["items"][0]["id"], "n2");
  EXPECT_EQ(Json::parse(Get("/v1/needs?limit=1&offset=1")->body)["items"].size(), 1u);

  auto one = Get("/v1/needs/n1");
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(Json::parse(one->body)["description"],
            "Diagnostic du réseau d'eau et de l'irrigation des périmètres maraîchers.");

  ExpectProblem(Get("/v1/needs/zz"), 404, "id", "parameter");
  ExpectProblem(Get("/v1/needs?limit=0"), 400, "limit", "parameter");
  ExpectProblem(Get("/v1/needs?limit=abc"), 400, "limit", "parameter");
  ExpectProblem(Get("/v1/needs?status=bogus"), 400, "status", "parameter");
  ExpectProblem(Get("/v1/needs?country=France"), 400, "country", "parameter");
  ExpectProblem(Get("/v1/needs?sort=id"), 400, "sort", "parameter");
}

TEST_F(LiveServer, ServesTheTaxonomy) {
  auto result = Get("/v1/themes");
  ASSERT_EQ(result->status, 200);
  Json body = Json::parse(result->body);
  EXPECT_EQ(body["total"], 7);
  EXPECT_EQ(body["items"][1],
            Json::parse(R"({"id": "env.eau", "label": "Eau et assainissement", "parent": "env"})"));
}

TEST_F(LiveServer, UnknownRoutesAndMethods) {
  auto missing = Get("/v1/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("Content-Type"), "application/problem+json");
  auto wrong = Client(daect_).Delete("/v1/match");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "POST");
  EXPECT_EQ(Get("/v1/match")->status, 405);
}

}  // namespace
}  // namespace expectmatch::api
