// Needs lifecycle, decisions, outcomes, authorities, profiles and roles on a live server.
#include "expectmatch/matcher/ranker.h"
#include "live_server.h"

namespace expectmatch::api {
namespace {

using datasets::Json;
using service::CreateApiKey;
using service::NewKey;
using service::OpenSnapshot;

class ServiceLifecycle : public testing::LiveServer<ServiceLifecycle> {};
class ServiceAuthorization : public testing::LiveServer<ServiceAuthorization> {};

constexpr const char* kNewNeed =
    R"({"id": "n-sn-1", "country": "SN", "partner": {"name": "Commune de Louga"},
    "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
    "period": {"start": "2027-05-03", "end": "2027-05-07"}, "description": "Réseau d'eau de Louga."})";

TEST_F(ServiceLifecycle, SubmittedNeedsAreStoredWithALocation) {
  auto created = Post("/v1/needs", kNewNeed);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->get_header_value("Location"), "/v1/needs/n-sn-1");
  Json body = Json::parse(created->body);
  EXPECT_EQ(body["status"], "submitted");
  EXPECT_TRUE(body["submitted_at"].is_string());
  EXPECT_EQ(Get("/v1/needs/n-sn-1")->status, 200);
  ExpectProblem(Post("/v1/needs", kNewNeed), 409, "/id");
  // Matched by id before the snapshot is rebuilt (read from the store), and after.
  EXPECT_EQ(Post("/v1/match", R"({"need_id": "n-sn-1"})")->status, 200);
  service_->Refresh();
  EXPECT_EQ(Post("/v1/match", R"({"need_id": "n-sn-1"})")->status, 200);
  // Without an id the server makes one.
  Json anonymous = Json::parse(kNewNeed);
  anonymous.erase("id");
  auto made = Post("/v1/needs", anonymous.dump());
  ASSERT_EQ(made->status, 201);
  EXPECT_EQ(Json::parse(made->body)["id"].get<std::string>().rfind("n-", 0), 0u);
}

TEST_F(ServiceLifecycle, RefusesInvalidNeedsNamingTheField) {
  Json need = Json::parse(kNewNeed);
  need["id"] = "n-bad";
  need["themes"][0]["theme"] = "env.air";
  ExpectProblem(Post("/v1/needs", need.dump()), 422, "/themes/0/theme");
  need = Json::parse(kNewNeed);
  need["status"] = "closed";
  ExpectProblem(Post("/v1/needs", need.dump()), 422, "/status");
  need = Json::parse(kNewNeed);
  need["selected"] = "com-a";
  ExpectProblem(Post("/v1/needs", need.dump()), 422, "/selected");
  need = Json::parse(kNewNeed);
  need["id"] = "n/x 2";  // would not be addressable in a path
  ExpectProblem(Post("/v1/needs", need.dump()), 422, "/id");
}

TEST_F(ServiceLifecycle, EveryMoveOfTheLifecycleAndItsRefusals) {
  Json need = Json::parse(kNewNeed);
  need["id"] = "n-life";
  ASSERT_EQ(Post("/v1/needs", need.dump())->status, 201);
  // submitted → shortlisted
  auto moved = Patch("/v1/needs/n-life", R"({"status": "shortlisted"})");
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(Json::parse(moved->body)["status"], "shortlisted");
  // shortlisted → assigned needs a decision first
  ExpectProblem(Patch("/v1/needs/n-life", R"({"status": "assigned"})"), 409, "/status");
  // impossible move: shortlisted → closed, with the allowed moves named
  auto refused = Patch("/v1/needs/n-life", R"({"status": "closed"})");
  ASSERT_EQ(refused->status, 409);
  EXPECT_NE(refused->body.find("allowed: submitted, proposed, assigned, cancelled"), std::string::npos)
      << refused->body;
  // a decision assigns it
  ExpectProblem(Post("/v1/needs/n-life/decision", R"({"collectivite": "com-zz"})"), 422,
                "/collectivite");
  auto decided =
      Post("/v1/needs/n-life/decision", R"({"collectivite": "com-b", "note": "proche de Louga"})");
  ASSERT_EQ(decided->status, 200) << decided->body;
  Json body = Json::parse(decided->body);
  EXPECT_EQ(body["status"], "assigned");
  EXPECT_EQ(body["selected"], "com-b");
  ASSERT_EQ(body["decisions"].size(), 1u);
  EXPECT_EQ(body["decisions"][0]["note"], "proche de Louga");
  // editing content is refused once assigned
  ExpectProblem(Patch("/v1/needs/n-life", R"({"description": "autre"})"), 409, "/status");
  // the mission's dates: assigned → in_mission
  ExpectProblem(Put("/v1/needs/n-life/mission", R"({"start": "2027-05-03", "end": "2027-05-01"})"),
                422, "/end");
  auto mission = Put("/v1/needs/n-life/mission", R"({"start": "2027-05-03", "end": "2027-05-07"})");
  ASSERT_EQ(mission->status, 200) << mission->body;
  EXPECT_EQ(Json::parse(mission->body)["need"]["status"], "in_mission");
  // in_mission → report_due → closed (with the report and the rating)
  ASSERT_EQ(Patch("/v1/needs/n-life", R"({"status": "report_due"})")->status, 200);
  auto report = Put(
      "/v1/needs/n-life/mission",
      R"({"start": "2027-05-03", "end": "2027-05-07", "report_delivered": "2027-06-20", "rating": 5})");
  ASSERT_EQ(report->status, 200) << report->body;
  EXPECT_EQ(Json::parse(report->body)["need"]["status"], "closed");
  // closed is final
  auto final_move = Patch("/v1/needs/n-life", R"({"status": "cancelled"})");
  ASSERT_EQ(final_move->status, 409);
  EXPECT_NE(final_move->body.find("none (final state)"), std::string::npos);
  // the outcome reaches the snapshot: com-b now has a mission in Senegal on env.eau
  service_->Refresh();
  EXPECT_GE(service_->snapshot()->catalogue.MissionsOf(1).size(), 3u);
}

TEST_F(ServiceLifecycle, CancelsAndWithdrawsDecisions) {
  Json need = Json::parse(kNewNeed);
  need["id"] = "n-cancel";
  ASSERT_EQ(Post("/v1/needs", need.dump())->status, 201);
  ASSERT_EQ(Post("/v1/needs/n-cancel/decision", R"({"collectivite": "com-a"})")->status, 200);
  auto withdrawn = Patch("/v1/needs/n-cancel", R"({"status": "shortlisted"})");
  ASSERT_EQ(withdrawn->status, 200);
  EXPECT_FALSE(Json::parse(withdrawn->body).contains("selected"));
  ASSERT_EQ(Patch("/v1/needs/n-cancel", R"({"status": "cancelled"})")->status, 200);
  ExpectProblem(
      Put("/v1/needs/n-cancel/mission", R"({"start": "2027-05-03", "end": "2027-05-07"})"), 409,
      "id", "parameter");
  ExpectProblem(Patch("/v1/needs/n-cancel", R"({"country": "ML"})"), 422, "/country");
  ExpectProblem(Patch("/v1/needs/n-cancel", R"({"status": "done"})"), 422, "/status");
}

TEST_F(ServiceLifecycle, ListsNeedsByThemeAndPeriod) {
  Json body = Json::parse(Get("/v1/needs?theme=agri.irrigation")->body);
  ASSERT_EQ(body["total"], 1);
  EXPECT_EQ(body["items"][0]["id"], "n1");
  EXPECT_EQ(
      Json::parse(
          Get("/v1/needs?period_from=2027-06-01&period_to=2027-06-30&country=MA")->body)["total"],
      1);
  EXPECT_EQ(Json::parse(Get("/v1/needs?period_to=2027-02-01")->body)["total"], 0);
  ExpectProblem(Get("/v1/needs?period_from=2027-13-01"), 400, "period_from", "parameter");
  ExpectProblem(Get("/v1/needs?theme=nope"), 400, "theme", "parameter");
}

TEST_F(ServiceLifecycle, OverdueReportsAreListed) {
  // m-b1 (com-b, June 2024) never delivered its report.
  Json body = Json::parse(Get("/v1/reports/overdue")->body);
  ASSERT_GE(body["total"].get<int>(), 1);
  EXPECT_EQ(body["items"][0]["mission"], "m-b1");
  EXPECT_EQ(body["items"][0]["report_due"], "2024-08-07");
  EXPECT_GT(body["items"][0]["days_overdue"].get<int>(), 700);
}

TEST_F(ServiceLifecycle, AuthoritiesAreReadAndReplacedAndReachMatching) {
  Json list = Json::parse(Get("/v1/collectivites?region=Bretagne")->body);
  EXPECT_EQ(list["total"], 2);  // com-a, com-f
  EXPECT_EQ(Json::parse(Get("/v1/collectivites?theme=env&language=en")->body)["items"][0]["id"],
            "dep-c");
  ExpectProblem(Get("/v1/collectivites?region=Aquitaine"), 400, "region", "parameter");
  Json c = Json::parse(Get("/v1/collectivites/dep-c")->body);
  c["languages"] = {"fr"};
  c["labels"][0]["until"] =
      "2026-12-31";  // the label ends before the need: dep-c leaves the shortlist
  auto put = Put("/v1/collectivites/dep-c", c.dump());
  ASSERT_EQ(put->status, 200) << put->body;
  Json match = Json::parse(Post("/v1/match", R"({"need_id": "n1"})")->body);
  // The others are still ranked: an empty shortlist would prove nothing.
  ASSERT_FALSE(match["candidates"].empty()) << match.dump();
  for (const Json& candidate : match["candidates"])
    EXPECT_NE(candidate["collectivite"]["id"], "dep-c");
  c["labels"][0]["theme"] = "patrimoine.musee";
  ExpectProblem(Put("/v1/collectivites/dep-c", c.dump()), 422, "/labels/0/theme");
  c = Json::parse(Get("/v1/collectivites/dep-c")->body);
  ExpectProblem(Put("/v1/collectivites/other", c.dump()), 422, "/id");
  c["id"] = "com-new";
  auto created = Put("/v1/collectivites/com-new", c.dump());
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(created->get_header_value("Location"), "/v1/collectivites/com-new");
}

TEST_F(ServiceLifecycle, ProfilesGetVersions) {
  const char* weights =
      R"({"description": "tout sur l'expertise", "weights": {"thematic": 1, "country_presence": 0,
      "partner_history": 0, "track_record": 0, "language": 0, "availability": 0}})";
  auto created = Put("/v1/profiles/expertise", weights);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Json::parse(created->body)["version"], 1);
  auto again = Put("/v1/profiles/expertise", weights);
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(Json::parse(again->body)["version"], 2);
  EXPECT_EQ(Json::parse(Get("/v1/profiles/expertise")->body)["versions"].size(), 2u);
  Json match = Json::parse(Post("/v1/match", R"({"need_id": "n1", "profile": "expertise"})")->body);
  EXPECT_EQ(match["profile"]["version"], 2);
  EXPECT_EQ(Post("/v1/match", R"({"need_id": "n1", "profile": "expertise", "profile_version": 1})")
                ->status,
            200);
  ExpectProblem(Put("/v1/profiles/expertise", R"({"weights": {"thematic": 1}})"), 422,
                "/weights/country_presence");
  ExpectProblem(Put("/v1/profiles/Bad%20Name", weights), 400, "name", "parameter");
}

TEST_F(ServiceLifecycle, ChangesByAnotherProcessReachTheSnapshotWithoutRestart) {
  // What `expectmatch import` does from another process: a write to the same database.
  testing::ScratchDir scratch;
  store::Store store(scratch.path() / "refresh.db");
  auto first = OpenSnapshot(store, testing::TestData("tiny"));
  ServiceOptions options;
  options.refresh_interval = std::chrono::milliseconds(20);
  Service service(store, first, nullptr, options);
  store::SeedDocuments docs;
  docs.cooperations.push_back(
      {"dep-c",
       R"({"collectivite": "dep-c", "country": "SN", "partner": {"id": "SN-podor", "name": "Commune de Podor"},
      "themes": [], "since": "2020-01-01", "until": null})"});
  store.Import(docs);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (service.snapshot() == first && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(service.snapshot(), first) << "the refresher did not pick the change up";
  // dep-c now cooperates with Podor itself: a direct partner.
  const matcher::Catalogue& catalogue = service.snapshot()->catalogue;
  const matcher::Need& need = catalogue.needs()[static_cast<size_t>(catalogue.FindNeed("n1"))];
  matcher::Ranking ranking =
      matcher::RankNeed(catalogue, need, matcher::DefaultProfile(), matcher::RankOptions{});
  bool found = false;
  for (const matcher::Candidate& c : ranking.candidates) {
    if (catalogue.collectivites()[c.collectivite].id != "dep-c") continue;
    found = true;
    EXPECT_EQ(c.values[static_cast<size_t>(matcher::Feature::kPartnerHistory)], 1.0);
  }
  EXPECT_TRUE(found);
}

// Every role against every route: status codes only (bodies are covered above).
TEST_F(ServiceAuthorization, EveryRoleAgainstEveryEndpoint) {
  struct Case {
    const char* method;
    const char* path;
    const char* body;
    int none, daect, analyst, embassy_sn, collectivite;
  };
  const char* sn_need =
      R"({"country": "SN", "partner": {"name": "P"}, "themes": [{"theme": "env.eau"}],
      "period": {"start": "2027-05-03", "end": "2027-05-07"}})";
  const char* weights =
      R"({"weights": {"thematic": 1, "country_presence": 0, "partner_history": 0, "track_record": 0,
      "language": 0, "availability": 0}})";
  // The collectivité's key speaks for com-a, which n2 is assigned to.
  const std::string com_a =
      CreateApiKey(*store_, service::Role::kCollectivite, "com-a", "Commune A").secret;
  const std::vector<Case> cases = {
      {"GET", "/healthz", "", 200, 200, 200, 200, 200},
      {"GET", "/v1/whoami", "", 401, 200, 200, 200, 200},
      {"GET", "/v1/themes", "", 401, 200, 200, 200, 200},
      {"POST", "/v1/themes/suggest", R"({"text": "eau potable"})", 401, 200, 200, 200, 403},
      {"GET", "/v1/partners?country=SN&q=Louga", "", 401, 200, 200, 200, 403},
      {"GET", "/v1/partners/zz", "", 401, 404, 404, 404, 403},
      {"POST", "/v1/partners/zz/aliases", R"({"alias": "Zz"})", 401, 404, 403, 403, 403},
      {"POST", "/v1/partners/zz/merge", R"({"into": "yy"})", 401, 404, 403, 403, 403},
      {"POST", "/v1/match", R"({"need_id": "n1"})", 401, 200, 200, 200, 403},
      {"GET", "/v1/needs", "", 401, 200, 200, 200, 403},
      {"POST", "/v1/needs", sn_need, 401, 201, 403, 201, 403},
      {"GET", "/v1/needs/n1", "", 401, 200, 200, 200, 403},
      {"PATCH", "/v1/needs/n1", R"({"status": "shortlisted"})", 401, 200, 403, 403, 403},
      {"POST", "/v1/needs/n2/decision", R"({"collectivite": "com-a"})", 401, 200, 403, 403, 403},
      // n1 is assigned to no one: no mission yet; it is not com-a's (404 like an unknown need).
      {"PUT", "/v1/needs/n1/mission", R"({"start": "2027-03-01", "end": "2027-03-05"})", 401, 409,
       403, 403, 404},
      {"GET", "/v1/missions?collectivite=com-a", "", 401, 200, 200, 403, 200},
      {"GET", "/v1/reports/overdue", "", 401, 200, 200, 403, 403},
      {"GET", "/v1/collectivites", "", 401, 200, 200, 403, 403},
      {"GET", "/v1/collectivites/com-a", "", 401, 200, 200, 403, 200},
      {"GET", "/v1/collectivites/com-b", "", 401, 200, 200, 403, 404},
      {"PUT", "/v1/collectivites/com-zz", R"({})", 401, 422, 403, 403, 403},
      {"GET", "/v1/profiles", "", 401, 200, 200, 403, 403},
      {"GET", "/v1/profiles/default", "", 401, 200, 200, 403, 403},
      {"PUT", "/v1/profiles/matrix", weights, 401, 201, 200, 403, 403},
      {"POST", "/v1/assignments", R"({"needs": ["n1"]})", 401, 201, 403, 403, 403},
      {"GET", "/v1/assignments/as_none", "", 401, 404, 403, 403, 403},
      {"POST", "/v1/assignments/as_none/accept", "", 401, 404, 403, 403, 403},
      {"POST", "/v1/needs/n1/proposals", R"({"collectivite": "dep-c", "respond_by": "2099-01-01"})",
       401, 201, 403, 403, 403},
      {"GET", "/v1/needs/n1/proposals", "", 401, 200, 200, 403, 403},
      {"GET", "/v1/proposals", "", 401, 200, 200, 403, 200},
      {"GET", "/v1/proposals/p-none", "", 401, 404, 404, 403, 404},
      {"POST", "/v1/proposals/p-none/accept", "", 401, 404, 403, 403, 404},
      {"POST", "/v1/proposals/p-none/decline", R"({"reason": "x"})", 401, 404, 403, 403, 404},
      {"POST", "/v1/proposals/p-none/withdraw", "", 401, 404, 403, 403, 403},
      // Label applications: com-a's own (the key's), DAECT's on its behalf; embassies never.
      {"POST", "/v1/label-applications",
       R"({"themes": ["culture"], "evidence": "Vingt caractères au moins."})", 401, 422, 403, 403,
       201},
      {"GET", "/v1/label-applications", "", 401, 200, 200, 403, 200},
      {"GET", "/v1/label-applications/app_none", "", 401, 404, 404, 403, 404},
      {"POST", "/v1/label-applications/app_none/review", "", 401, 404, 403, 403, 403},
      {"POST", "/v1/label-applications/app_none/decision",
       R"({"decision": "rejected", "reason": "Non."})", 401, 404, 403, 403, 403},
      {"POST", "/v1/label-applications/app_none/answer", R"({"message": "Voici."})", 401, 404, 403,
       403, 404},
      {"POST", "/v1/label-applications/app_none/documents", "%PDF-1.4", 401, 404, 403, 403, 404},
      {"GET", "/v1/label-applications/app_none/documents/00", "", 401, 404, 404, 403, 404},
      {"GET", "/v1/collectivites/com-a/labels/history", "", 401, 200, 200, 403, 200},
      {"GET", "/v1/collectivites/com-b/labels/history", "", 401, 200, 200, 403, 404},
      {"GET", "/v1/labels/expiring", "", 401, 200, 200, 403, 200},
      {"GET", "/v1/labels/export.csv", "", 401, 200, 200, 403, 403},
  };
  for (const Case& c : cases) {
    for (auto [key, want] :
         {std::pair{std::string(), c.none}, std::pair{daect_, c.daect},
          std::pair{analyst_, c.analyst}, std::pair{embassy_sn_, c.embassy_sn},
          std::pair{com_a, c.collectivite}}) {
      httplib::Client client = Client(key);
      const std::string method = c.method;
      httplib::Result result = method == "GET"    ? client.Get(c.path)
                               : method == "POST" ? client.Post(c.path, c.body, "application/json")
                               : method == "PUT"  ? client.Put(c.path, c.body, "application/json")
                                                 : client.Patch(c.path, c.body, "application/json");
      ASSERT_TRUE(result) << c.method << " " << c.path;
      EXPECT_EQ(result->status, want)
          << c.method << " " << c.path << " as " << (key.empty() ? "nobody" : key.substr(0, 8))
          << ": " << result->body;
      if (want == 401) {
        EXPECT_EQ(result->get_header_value("WWW-Authenticate"), "Bearer realm=\"expectmatch\"");
      }
      // A key never comes back in a body.
      if (!key.empty()) {
        EXPECT_EQ(result->body.find(key), std::string::npos);
      }
    }
  }
}

// The problem document of `result` with every occurrence of `id` replaced by "ID".
Json WithoutId(const httplib::Result& result, const std::string& id) {
  std::string body = result ? result->body : "";
  for (size_t at = body.find(id); at != std::string::npos; at = body.find(id, at + 2))
    body.replace(at, id.size(), "ID");
  return Json::parse(body);
}

TEST_F(ServiceAuthorization, EmbassiesStayInTheirCountry) {
  // n2 is in Morocco: the Senegal key may not read it by id, by list filter or by match.
  ExpectProblem(Get("/v1/needs/n2", embassy_sn_), 404, "id", "parameter");
  ExpectProblem(Get("/v1/needs?country=MA", embassy_sn_), 403, "country", "parameter");
  ExpectProblem(PostAs(embassy_sn_, "/v1/match", R"({"need_id": "n2"})"), 404, "/need_id");
  ExpectProblem(
      PostAs(embassy_sn_, "/v1/match", R"({"need": {"country": "MA", "partner": {"name": "P"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}}})"),
      403, "/need/country");
  ExpectProblem(PostAs(embassy_sn_, "/v1/needs", R"({"country": "MA", "partner": {"name": "P"},
      "themes": [{"theme": "env.eau"}], "period": {"start": "2027-03-01", "end": "2027-03-05"}})"),
                403, "/country");
  // Even an invalid need for another country is refused as another country's.
  ExpectProblem(PostAs(embassy_sn_, "/v1/needs", R"({"country": "MA"})"), 403, "/country");
  // Its own list holds only Senegal's needs, whatever it asks.
  Json mine = Json::parse(Get("/v1/needs", embassy_sn_)->body);
  ASSERT_FALSE(mine["items"].empty()) << "Senegal's own needs must be listed";
  bool n1_listed = false;
  for (const Json& need : mine["items"]) {
    EXPECT_EQ(need["country"], "SN");
    n1_listed = n1_listed || need["id"] == "n1";
  }
  EXPECT_TRUE(n1_listed) << mine.dump();
  EXPECT_EQ(Json::parse(Get("/v1/needs", embassy_ma_)->body)["items"][0]["id"], "n2");
  EXPECT_EQ(Get("/v1/needs/n2", embassy_ma_)->status, 200);
}

// No existence oracle: on every route that takes a need id, another country's need gets the
// very answer an unknown id gets (status, type and body, apart from the id), whatever the key
// may do on that route; and an embassy's submissions cannot collide with another country's.
TEST_F(ServiceAuthorization, AnotherCountrysNeedIsAnsweredAsAnUnknownOne) {
  struct Route {
    const char* method;
    std::string path;  // "{id}" replaced by the need id
    std::string body;  // "{id}" replaced by the need id
  };
  const std::vector<Route> routes = {
      {"GET", "/v1/needs/{id}", ""},
      {"PATCH", "/v1/needs/{id}", R"({"status": "shortlisted"})"},
      {"POST", "/v1/needs/{id}/decision", R"({"collectivite": "com-a"})"},
      {"PUT", "/v1/needs/{id}/mission", R"({"start": "2027-03-01", "end": "2027-03-05"})"},
      {"POST", "/v1/match", R"({"need_id": "{id}"})"},
      {"POST", "/v1/match", R"({"need_id": "{id}", "profile": "nope", "k": 3})"},
  };
  auto send = [](const std::string& key, const Route& route, const std::string& id) {
    auto fill = [&](std::string text) {
      for (size_t at = text.find("{id}"); at != std::string::npos; at = text.find("{id}"))
        text.replace(at, 4, id);
      return text;
    };
    httplib::Client client = Client(key);
    const std::string method = route.method, path = fill(route.path), body = fill(route.body);
    return method == "GET"    ? client.Get(path)
           : method == "POST" ? client.Post(path, body, "application/json")
           : method == "PUT"  ? client.Put(path, body, "application/json")
                              : client.Patch(path, body, "application/json");
  };
  // n2 is Morocco's; n-nowhere does not exist. Both keys and both countries, every route.
  for (const auto& [key, theirs] :
       {std::pair{embassy_sn_, std::string("n2")}, std::pair{embassy_ma_, std::string("n1")}}) {
    for (const Route& route : routes) {
      httplib::Result other = send(key, route, theirs), unknown = send(key, route, "n-nowhere");
      ASSERT_TRUE(other && unknown) << route.method << " " << route.path;
      const std::string what = std::string(route.method) + " " + route.path + " " + route.body;
      EXPECT_EQ(other->status, unknown->status) << what << ": " << other->body;
      EXPECT_EQ(other->get_header_value("Content-Type"), unknown->get_header_value("Content-Type"))
          << what;
      EXPECT_EQ(WithoutId(other, theirs), WithoutId(unknown, "n-nowhere")) << what << "\n"
                                                                           << other->body << "\n"
                                                                           << unknown->body;
      EXPECT_EQ(other->body.find(theirs == "n2" ? "MA" : "SN"), std::string::npos) << other->body;
    }
  }
  // The routes an embassy may call answer 404 with the unknown need's words.
  ExpectProblem(Get("/v1/needs/n2", embassy_sn_), 404, "id", "parameter");
  EXPECT_EQ(Json::parse(Get("/v1/needs/n2", embassy_sn_)->body)["detail"], "unknown need \"n2\"");

  // Submissions: an embassy's generated ids carry its country's prefix, a supplied one must.
  const char* sn_need =
      R"({"country": "SN", "partner": {"name": "P"}, "themes": [{"theme": "env.eau"}],
      "period": {"start": "2027-05-03", "end": "2027-05-07"}})";
  auto made = PostAs(embassy_sn_, "/v1/needs", sn_need);
  ASSERT_EQ(made->status, 201) << made->body;
  EXPECT_EQ(Json::parse(made->body)["id"].get<std::string>().rfind("sn-", 0), 0u) << made->body;
  // Reusing Morocco's id n2 gets what any id without the prefix gets: no 409, nothing of n2.
  Json reuse = Json::parse(sn_need), fresh = Json::parse(sn_need);
  reuse["id"] = "n2";
  fresh["id"] = "n-never-used";
  auto reused = PostAs(embassy_sn_, "/v1/needs", reuse.dump());
  auto unused = PostAs(embassy_sn_, "/v1/needs", fresh.dump());
  ExpectProblem(reused, 422, "/id");
  EXPECT_EQ(WithoutId(reused, "n2"), WithoutId(unused, "n-never-used"));
  // Nobody may give a need of one country the prefix of another, so "sn-" ids are Senegal's.
  Json squat = Json::parse(sn_need);
  squat["country"] = "MA";
  squat["id"] = "sn-squat";
  ExpectProblem(Post("/v1/needs", squat.dump()), 422, "/id");
  Json own = Json::parse(sn_need);
  own["id"] = "sn-own-1";
  EXPECT_EQ(PostAs(embassy_sn_, "/v1/needs", own.dump())->status, 201);
  ExpectProblem(PostAs(embassy_sn_, "/v1/needs", own.dump()), 409, "/id");  // its own: it knows
}

TEST_F(ServiceAuthorization, RevokedAndForgedKeysAreRefused) {
  NewKey key = CreateApiKey(*store_, Role::kAnalyst, "", "temporary");
  EXPECT_EQ(Get("/v1/needs", key.secret)->status, 200);
  EXPECT_TRUE(store_->RevokeApiKey(key.id));
  EXPECT_EQ(Get("/v1/needs", key.secret)->status, 401);
  EXPECT_EQ(Get("/v1/needs", key.secret + "x")->status, 401);
  httplib::Client basic("127.0.0.1", server_->port());
  basic.set_default_headers({{"Authorization", "Basic " + daect_}});
  EXPECT_EQ(basic.Get("/v1/needs")->status, 401);
  // Only a hash is stored.
  ASSERT_FALSE(store_->ApiKeys().empty());
  for (const store::ApiKeyRow& row : store_->ApiKeys()) {
    EXPECT_NE(row.hash, key.secret);
    EXPECT_EQ(row.hash.size(), 64u);
  }
}

}  // namespace
}  // namespace expectmatch::api
