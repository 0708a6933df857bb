// Label applications examined by DAECT, the label history and the expiring labels, on a live
// server over the tiny data set: the whole flow with exact bodies, every refusal (naming its
// field, nothing stored changing), the 404 that tells no other authority's ids, the history
// written by PUT and by an approval, the expiring list on a fixed day, the daily expiry chore
// (idempotent, one notice per label and end date) and the label's last valid day in a match.
#include <gtest/gtest.h>

#include "expectmatch/matcher/date.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/label_applications.h"
#include "expectmatch/service/official.h"
#include "expectmatch/service/snapshot.h"
#include "live_server.h"
#include "report_files.h"

namespace expectmatch {
namespace {

using datasets::Json;

class LabelApplications : public testing::LiveServer<LabelApplications> {
 protected:
  static void SetUpTestSuite() {
    testing::LiveServer<LabelApplications>::SetUpTestSuite();
    com_a_ = service::CreateApiKey(*store_, service::Role::kCollectivite, "com-a", "Commune A");
    com_b_ = service::CreateApiKey(*store_, service::Role::kCollectivite, "com-b", "Commune B");
  }

  // The application's body with what varies from run to run (its id, times, key ids) replaced
  // by placeholders.
  static Json Stable(Json application) {
    if (application.contains("id")) application["id"] = "ID";
    for (const char* key : {"created_at", "updated_at"}) {
      if (application.contains(key)) application[key] = "AT";
    }
    for (Json& event : application["events"]) event["at"] = "AT";
    for (Json& document : application["documents"]) document["uploaded_at"] = "AT";
    return application;
  }

  static Json Body(const httplib::Result& result) {
    return result ? Json::parse(result->body, nullptr, false) : Json();
  }

  static std::string Apply(const std::string& key, const std::string& body) {
    httplib::Result result = PostAs(key, "/v1/label-applications", body);
    EXPECT_TRUE(result && result->status == 201) << (result ? result->body : "no response");
    return result && result->status == 201 ? Body(result)["id"].get<std::string>() : "";
  }

  static inline service::NewKey com_a_, com_b_;
};

constexpr const char* kComAApplication = R"({
    "themes": ["env.dechets"],
    "evidence": "Depuis 2015, tri sélectif et compostage menés avec la commune de Podor.",
    "cooperations": [{"country": "SN", "partner": "SN-podor"},
                     {"country": "ML", "partner": "Commune de Kayes"}],
    "territorial_actions": [{"title": "Centre de tri", "year": 2023,
                             "description": "Un centre de tri ouvert à Podor."}]})";

TEST_F(LabelApplications, TheWholeFlowFromApplicationToARankedLabel) {
  // The authority applies for itself.
  httplib::Result created = PostAs(com_a_.secret, "/v1/label-applications", kComAApplication);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const Json application = Body(created);
  const std::string id = application["id"];
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.substr(0, 4), "app_");
  EXPECT_EQ(created->get_header_value("Location"), "/v1/label-applications/" + id);
  EXPECT_EQ(Stable(application), Json::parse(R"({
      "id": "ID", "collectivite": "com-a", "collectivite_name": "Commune A",
      "themes": ["env.dechets"],
      "evidence": "Depuis 2015, tri sélectif et compostage menés avec la commune de Podor.",
      "cooperations": [{"country": "SN", "partner": "SN-podor"},
                       {"country": "ML", "partner": "Commune de Kayes"}],
      "territorial_actions": [{"title": "Centre de tri", "year": 2023,
                               "description": "Un centre de tri ouvert à Podor."}],
      "renews": null, "status": "received", "documents": [],
      "events": [{"at": "AT", "by": ")" + com_a_.id +
                                             R"(", "status": "received"}],
      "labels": [], "created_at": "AT", "created_by": ")" +
                                             com_a_.id + R"(",
      "updated_at": "AT"})"));
  const std::string path = "/v1/label-applications/" + id;
  EXPECT_EQ(Body(Get(path, com_a_.secret)), application);
  EXPECT_EQ(Body(Get(path, analyst_)), application);

  // A document, by the applicant; read back by DAECT.
  const std::string pdf = testing::PdfWithText("Convention de cooperation");
  httplib::Result uploaded =
      Client(com_a_.secret)
          .Post((path + "/documents?filename=convention.pdf").c_str(), pdf, "application/pdf");
  ASSERT_TRUE(uploaded);
  ASSERT_EQ(uploaded->status, 201) << uploaded->body;
  Json document = Body(uploaded);
  document["uploaded_at"] = "AT";
  EXPECT_EQ(document, (Json{{"sha256", testing::Sha256Hex(pdf)},
                            {"content_type", "application/pdf"},
                            {"bytes", pdf.size()},
                            {"filename", "convention.pdf"},
                            {"uploaded_at", "AT"}}));
  httplib::Result downloaded = Get(path + "/documents/" + testing::Sha256Hex(pdf));
  ASSERT_TRUE(downloaded);
  EXPECT_EQ(downloaded->status, 200);
  EXPECT_EQ(downloaded->body, pdf);
  EXPECT_EQ(downloaded->get_header_value("Content-Disposition"),
            "attachment; filename=\"convention.pdf\"");

  // Review, a request for information, the answer, the approval.
  ASSERT_EQ(Post(path + "/review", "")->status, 200);
  ASSERT_EQ(Post(path + "/decision",
                 R"({"decision": "information_requested", "reason": "Joindre le bilan 2024."})")
                ->status,
            200);
  ASSERT_EQ(PostAs(com_a_.secret, path + "/answer", R"({"message": "Bilan joint."})")->status, 200);
  httplib::Result approved =
      Post(path + "/decision", R"({"decision": "approved", "reason": "Dossier solide."})");
  ASSERT_TRUE(approved);
  ASSERT_EQ(approved->status, 200) << approved->body;
  const std::string today = service::Today();
  const std::string until =
      matcher::FormatIsoDate(matcher::ParseIsoDate(today)->AddMonths(36));  // 3 years, default
  Json after = Stable(Body(approved));
  EXPECT_EQ(after["status"], "approved");
  EXPECT_EQ(after["labels"], Json::parse(R"([{"theme": "env.dechets", "since": ")" + today +
                                         R"(", "until": ")" + until + R"("}])"));
  EXPECT_EQ(after["events"], Json::parse(R"([
      {"at": "AT", "by": ")" + com_a_.id +
                                         R"(", "status": "received"},
      {"at": "AT", "by": ")" + live_->daect.id +
                                         R"(", "status": "under_review"},
      {"at": "AT", "by": ")" + live_->daect.id +
                                         R"(", "status": "information_requested",
       "reason": "Joindre le bilan 2024."},
      {"at": "AT", "by": ")" + com_a_.id +
                                         R"(", "status": "under_review",
       "message": "Bilan joint."},
      {"at": "AT", "by": ")" + live_->daect.id +
                                         R"(", "status": "approved",
       "reason": "Dossier solide."}])"));
  EXPECT_EQ(after["documents"].size(), 1u);

  // The label is on the record, in the history with its application, and counts at once.
  Json record = Body(Get("/v1/collectivites/com-a"));
  EXPECT_EQ(record["labels"].back(), Json::parse(R"({"theme": "env.dechets", "since": ")" + today +
                                                 R"(", "until": ")" + until + R"("})"));
  Json history = Body(Get("/v1/collectivites/com-a/labels/history", com_a_.secret));
  ASSERT_EQ(history["items"].size(), 1u) << history;
  Json row = history["items"][0];
  EXPECT_TRUE(row["seq"].is_number_integer());
  row.erase("seq");
  row["at"] = "AT";
  EXPECT_EQ(row, Json::parse(R"({"theme": "env.dechets", "event": "granted", "since": ")" + today +
                             R"(", "until": ")" + until + R"(", "at": "AT", "by": ")" +
                             live_->daect.id + R"(", "reason": "Dossier solide.",
                             "application": ")" +
                             id + R"("})"));
  const matcher::Date start = *matcher::ParseIsoDate(today);
  Json need{{"country", "SN"},
            {"partner", {{"name", "Commune de Podor"}}},
            {"themes", {{{"theme", "env.dechets"}, {"weight", 1}}}},
            {"languages", {"fr"}},
            {"period",
             {{"start", matcher::FormatIsoDate(matcher::Date{start.days + 30})},
              {"end", matcher::FormatIsoDate(matcher::Date{start.days + 34})}}}};
  Json match = Body(Post("/v1/match", Json{{"need", need}}.dump()));
  bool ranked = false;
  for (const Json& candidate : match["candidates"])
    ranked = ranked || candidate["collectivite"]["id"] == "com-a";
  EXPECT_TRUE(ranked) << match.dump();

  // Listed for the authority and for DAECT; approving twice changes nothing.
  Json mine = Body(Get("/v1/label-applications?collectivite=com-a", com_a_.secret));
  EXPECT_EQ(mine["total"], 1);
  EXPECT_EQ(mine["items"][0]["id"], id);
  Json again = Body(Post(path + "/decision", R"({"decision": "approved", "reason": "Encore."})"));
  EXPECT_EQ(again["status"], 409);
  EXPECT_EQ(again["errors"][0]["pointer"], "/decision");
  EXPECT_EQ(again["errors"][0]["detail"], "the application's status is approved");
  EXPECT_EQ(again["current_status"], "approved");
  EXPECT_EQ(Body(Get("/v1/collectivites/com-a/labels/history"))["items"].size(), 1u);
}

TEST_F(LabelApplications, BadInputsNameTheFieldAndChangeNothing) {
  const std::string evidence = R"("Une coopération documentée depuis dix ans.")";
  struct Case {
    std::string key;
    std::string body;
    int status;
    std::string pointer;
  };
  const std::vector<Case> cases = {
      {daect_, R"({"themes": ["env.eau"], "evidence": )" + evidence + "}", 422, "/collectivite"},
      {daect_, R"({"collectivite": "com-zz", "themes": ["env.eau"], "evidence": )" + evidence + "}",
       422, "/collectivite"},
      {com_b_.secret, R"({"themes": ["env.zz"], "evidence": )" + evidence + "}", 422, "/themes/0"},
      {com_b_.secret, R"({"themes": ["culture", "culture"], "evidence": )" + evidence + "}", 422,
       "/themes/1"},
      {com_b_.secret, R"({"themes": [], "evidence": )" + evidence + "}", 422, "/themes"},
      {com_b_.secret, R"({"themes": ["culture"], "evidence": "Trop court."})", 422, "/evidence"},
      {com_b_.secret,
       R"({"themes": ["culture"], "evidence": )" + evidence +
           R"(, "cooperations": [{"country": "SN", "partner": "Ville de Thiès"},
                                  {"country": "SN", "partner": "SN-podor"}]})",
       422, "/cooperations/1"},
      {com_b_.secret,
       R"({"themes": ["culture"], "evidence": )" + evidence + R"(, "renews": ["env.eau"]})", 422,
       "/renews/0"},
      {com_b_.secret,
       R"({"themes": ["culture"], "evidence": )" + evidence +
           R"(, "territorial_actions": [{"title": "Fête", "year": 1800}]})",
       422, "/territorial_actions/0/year"},
      {com_b_.secret, R"({"themes": ["culture"], "evidence": )" + evidence + R"(, "colour": 1})",
       422, "/colour"},
      // Another authority, existing or not: the same refusal.
      {com_b_.secret,
       R"({"collectivite": "com-a", "themes": ["culture"], "evidence": )" + evidence + "}", 403,
       "/collectivite"},
      {com_b_.secret,
       R"({"collectivite": "com-zz", "themes": ["culture"], "evidence": )" + evidence + "}", 403,
       "/collectivite"},
  };
  const Json before = Body(Get("/v1/label-applications?collectivite=com-b"));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectProblem(PostAs(c.key, "/v1/label-applications", c.body), c.status, c.pointer);
  }
  EXPECT_EQ(Body(Get("/v1/label-applications?collectivite=com-b")), before);

  // The decisions' refusals, on an application of com-b (for renewing its irrigation label).
  const std::string id = Apply(com_b_.secret, R"({"themes": ["agri.irrigation", "culture"],
      "evidence": )" + evidence + R"(, "renews": ["agri.irrigation"],
      "cooperations": [{"country": "SN", "partner": "Ville de Thiès"}]})");
  const std::string path = "/v1/label-applications/" + id;
  const Json record = Body(Get("/v1/collectivites/com-b"));
  const Json received = Body(Get(path));
  ExpectProblem(Post(path + "/decision", R"({"decision": "approved", "reason": "Oui."})"), 409,
                "/decision");
  EXPECT_EQ(Body(Post(path + "/decision",
                      R"({"decision": "rejected", "reason": "Non."})"))["errors"][0]["detail"],
            "the application's status is received");
  ExpectProblem(PostAs(com_b_.secret, path + "/answer", R"({"message": "Voici."})"), 409,
                "/message");
  EXPECT_EQ(Body(Get(path)), received);
  ASSERT_EQ(Post(path + "/review", "")->status, 200);
  ExpectProblem(Post(path + "/review", ""), 409, "id", "parameter");
  const Json reviewed = Body(Get(path));
  const std::vector<std::pair<std::string, std::string>> decisions = {
      {R"({"decision": "approved"})", "/reason"},
      {R"({"decision": "accepted", "reason": "Oui."})", "/decision"},
      {R"({"decision": "approved", "reason": "Oui.",
           "labels": [{"theme": "culture", "since": "2027-01-01", "until": "2026-12-31"}]})",
       "/labels/0/until"},
      {R"({"decision": "approved", "reason": "Oui.",
           "labels": [{"theme": "culture", "since": "2027-01-01", "until": "2027-01-01"}]})",
       "/labels/0/until"},
      {R"({"decision": "approved", "reason": "Oui.",
           "labels": [{"theme": "agri", "since": "2027-01-01", "until": "2030-01-01"}]})",
       "/labels/0/theme"},
      {R"({"decision": "approved", "reason": "Oui.",
           "labels": [{"theme": "culture", "since": "1er janvier"}]})",
       "/labels/0/since"},
      {R"({"decision": "rejected", "reason": "Non.",
           "labels": [{"theme": "culture"}]})",
       "/labels"},
  };
  for (const auto& [body, pointer] : decisions) {
    SCOPED_TRACE(body);
    ExpectProblem(Post(path + "/decision", body), 422, pointer);
  }
  ExpectProblem(Post(path + "/decision", "{"), 400, "");
  EXPECT_EQ(Body(Get(path)), reviewed);
  EXPECT_EQ(Body(Get("/v1/collectivites/com-b")), record);
  EXPECT_TRUE(Body(Get("/v1/collectivites/com-b/labels/history"))["items"].empty());

  // Embassies are refused on every application route; analysts only read.
  EXPECT_EQ(PostAs(embassy_sn_, "/v1/label-applications", "{}")->status, 403);
  EXPECT_EQ(Get(path, embassy_sn_)->status, 403);
  EXPECT_EQ(Get("/v1/labels/expiring", embassy_sn_)->status, 403);
  EXPECT_EQ(PostAs(analyst_, path + "/review", "")->status, 403);
}

// An authority asking for another's application gets the very answer of an unknown id, on every
// route that names one.
TEST_F(LabelApplications, AnotherAuthoritysApplicationAnswersLikeAnUnknownId) {
  const std::string id = Apply(daect_, R"({"collectivite": "dep-c", "themes": ["agri"],
      "evidence": "Appui aux coopératives agricoles de Kayes depuis 2016.",
      "cooperations": [{"country": "ML", "partner": "ML-kayes"}]})");
  const std::string unknown = "app_000000000000";
  auto same = [&](const std::string& suffix, const std::string& method) {
    SCOPED_TRACE(method + " " + suffix);
    httplib::Client client = Client(com_b_.secret);
    auto send = [&](const std::string& app) {
      const std::string path = "/v1/label-applications/" + app + suffix;
      return method == "GET"
                 ? client.Get(path.c_str())
                 : client.Post(path.c_str(), R"({"message": "Voici."})", "application/json");
    };
    httplib::Result theirs = send(id), none = send(unknown);
    ASSERT_TRUE(theirs && none);
    EXPECT_EQ(theirs->status, 404);
    std::string body = theirs->body;
    for (size_t at = body.find(id); at != std::string::npos; at = body.find(id, at + 1))
      body.replace(at, id.size(), unknown);
    EXPECT_EQ(body, none->body);
  };
  same("", "GET");
  same("/answer", "POST");
  same("/documents/" + std::string(64, 'a'), "GET");
  // Its list holds only its own.
  Json listed = Body(Get("/v1/label-applications", com_b_.secret));
  for (const Json& item : listed["items"]) EXPECT_EQ(item["collectivite"], "com-b");
  ExpectProblem(Get("/v1/label-applications?collectivite=dep-c", com_b_.secret), 403,
                "collectivite", "parameter");
  // And another authority's label history answers like an unknown authority's.
  httplib::Result history = Get("/v1/collectivites/dep-c/labels/history", com_b_.secret);
  httplib::Result nobody = Get("/v1/collectivites/zz/labels/history", com_b_.secret);
  ASSERT_TRUE(history && nobody);
  EXPECT_EQ(history->status, 404);
  std::string body = history->body;
  body.replace(body.find("dep-c"), 5, "zz");
  EXPECT_EQ(body, nobody->body);
}

TEST_F(LabelApplications, EveryLabelChangeByPutIsInTheHistory) {
  // com-f: env.eau since 2018 (open-ended) → until 2030 (changed); culture granted.
  ASSERT_EQ(Put("/v1/collectivites/com-f", R"({"name": "Commune F", "kind": "commune",
      "region": "Bretagne", "labels": [{"theme": "env.eau", "since": "2018-01-01",
      "until": "2030-12-31"}, {"theme": "culture", "since": "2026-01-01", "until": "2027-06-30"}],
      "languages": ["fr"], "capacity_per_year": 1, "experts": 1})")
                ->status,
            200);
  // culture renewed (a later end), env.eau withdrawn, agri granted.
  ASSERT_EQ(Put("/v1/collectivites/com-f", R"({"name": "Commune F", "kind": "commune",
      "region": "Bretagne", "labels": [{"theme": "culture", "since": "2026-01-01",
      "until": "2029-06-30"}, {"theme": "agri", "since": "2026-02-01", "until": null}],
      "languages": ["fr"], "capacity_per_year": 1, "experts": 1})")
                ->status,
            200);
  // The same record again: no change, no row.
  ASSERT_EQ(Put("/v1/collectivites/com-f", R"({"name": "Commune F", "kind": "commune",
      "region": "Bretagne", "labels": [{"theme": "culture", "since": "2026-01-01",
      "until": "2029-06-30"}, {"theme": "agri", "since": "2026-02-01", "until": null}],
      "languages": ["fr"], "capacity_per_year": 2, "experts": 1})")
                ->status,
            200);
  Json history = Body(Get("/v1/collectivites/com-f/labels/history", analyst_));
  EXPECT_EQ(history["collectivite"], "com-f");
  Json items = history["items"];
  long long seq = 0;
  for (Json& item : items) {
    EXPECT_GT(item["seq"].get<long long>(), seq);
    seq = item["seq"];
    item.erase("seq");
    EXPECT_EQ(item["at"].get<std::string>().size(), 20u);
    item["at"] = "AT";
  }
  const std::string by = live_->daect.id;
  EXPECT_EQ(items, Json::parse(R"([
      {"theme": "env.eau", "event": "changed", "since": "2018-01-01", "until": "2030-12-31",
       "at": "AT", "by": ")" + by +
                               R"(", "reason": null, "application": null},
      {"theme": "culture", "event": "granted", "since": "2026-01-01", "until": "2027-06-30",
       "at": "AT", "by": ")" + by +
                               R"(", "reason": null, "application": null},
      {"theme": "culture", "event": "renewed", "since": "2026-01-01", "until": "2029-06-30",
       "at": "AT", "by": ")" + by +
                               R"(", "reason": null, "application": null},
      {"theme": "agri", "event": "granted", "since": "2026-02-01", "until": null,
       "at": "AT", "by": ")" + by +
                               R"(", "reason": null, "application": null},
      {"theme": "env.eau", "event": "withdrawn", "since": "2018-01-01", "until": "2030-12-31",
       "at": "AT", "by": ")" + by +
                               R"(", "reason": null, "application": null}])"));

  // The CSV export: the labels now, then each change.
  httplib::Result csv = Get("/v1/labels/export.csv", analyst_);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF"
                            "collectivite,nom,theme,libelle_theme,evenement,debut,"
                            "fin,date,par,motif,candidature\r\n",
                            0),
            0u);
  EXPECT_NE(csv->body.find("com-f,Commune F,culture,Culture,en_cours,2026-01-01,2029-06-30,,,,\r\n"
                           "com-f,Commune F,agri,Agriculture,en_cours,2026-02-01,,,,,\r\n"
                           "com-f,Commune F,env.eau,Eau et assainissement,changed,2018-01-01,"
                           "2030-12-31,"),
            std::string::npos)
      << csv->body;
}

TEST_F(LabelApplications, ExpiringLabelsOnAFixedDay) {
  // A new authority with three dated labels, and com-b's water label (until 2027-01-31).
  ASSERT_EQ(Put("/v1/collectivites/com-exp", R"({"name": "Commune Exp", "kind": "commune",
      "region": "Corse", "labels": [
        {"theme": "agri.irrigation", "since": "2020-01-01", "until": "2027-01-31"},
        {"theme": "culture.musees", "since": "2020-01-01", "until": "2026-11-30"},
        {"theme": "env.dechets", "since": "2020-01-01", "until": "2027-03-02"}],
      "languages": ["fr"], "capacity_per_year": 1, "experts": 1})")
                ->status,
            201);
  const std::string renewal = Apply(daect_, R"({"collectivite": "com-exp",
      "themes": ["agri.irrigation"], "renews": ["agri.irrigation"],
      "evidence": "Le réseau d'irrigation de Kayes est entretenu chaque année."})");
  // From 2026-12-01, 90 days: up to 2027-03-01 (com-exp's waste label ends the day after; its
  // museums label ended the day before).
  Json expiring = Body(Get("/v1/labels/expiring?days=90&as_of=2026-12-01", analyst_));
  EXPECT_EQ(expiring, Json::parse(R"({"days": 90, "as_of": "2026-12-01", "items": [
      {"collectivite": "com-b", "collectivite_name": "Commune B", "theme": "env.eau",
       "theme_label": "Eau et assainissement", "since": "2022-01-01", "until": "2027-01-31",
       "days_left": 61, "renewal_application": null},
      {"collectivite": "com-exp", "collectivite_name": "Commune Exp", "theme": "agri.irrigation",
       "theme_label": "Irrigation", "since": "2020-01-01", "until": "2027-01-31",
       "days_left": 61, "renewal_application": ")" +
                                  renewal + R"("}]})"));
  // One day more reaches the waste label; the museums label counts on its last day.
  EXPECT_EQ(Body(Get("/v1/labels/expiring?days=91&as_of=2026-12-01"))["items"].size(), 3u);
  Json last_day = Body(Get("/v1/labels/expiring?days=1&as_of=2026-11-30&collectivite=com-exp"));
  ASSERT_EQ(last_day["items"].size(), 1u);
  EXPECT_EQ(last_day["items"][0]["theme"], "culture.musees");
  EXPECT_EQ(last_day["items"][0]["days_left"], 0);
  // A collectivité key sees its own labels only.
  Json own = Body(Get("/v1/labels/expiring?days=90&as_of=2026-12-01", com_b_.secret));
  ASSERT_EQ(own["items"].size(), 1u);
  EXPECT_EQ(own["items"][0]["collectivite"], "com-b");
  ExpectProblem(Get("/v1/labels/expiring?days=0"), 400, "days", "parameter");
  ExpectProblem(Get("/v1/labels/expiring?as_of=2026-13-01"), 400, "as_of", "parameter");
  ExpectProblem(Get("/v1/labels/expiring?colour=bleu"), 400, "colour", "parameter");

  // The renewal approved: a `renewed` row naming the application, and no longer expiring.
  const std::string path = "/v1/label-applications/" + renewal;
  ASSERT_EQ(Post(path + "/review", "")->status, 200);
  ASSERT_EQ(Post(path + "/decision", R"({"decision": "approved", "reason": "Renouvelé.",
      "labels": [{"theme": "agri.irrigation", "since": "2027-02-01", "until": "2030-01-31"}]})")
                ->status,
            200);
  Json history = Body(Get("/v1/collectivites/com-exp/labels/history"));
  std::vector<std::string> rows;
  for (const Json& h : history["items"]) {
    rows.push_back(h["theme"].get<std::string>() + " " + h["event"].get<std::string>() + " " +
                   h["until"].get<std::string>() + " " + h["application"].dump());
  }
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "agri.irrigation granted 2027-01-31 null",
                      "culture.musees granted 2026-11-30 null",
                      "env.dechets granted 2027-03-02 null",
                      "agri.irrigation renewed 2030-01-31 \"" + renewal + "\"",
                  }));
  EXPECT_EQ(history["items"][3]["since"], "2027-02-01");
  EXPECT_EQ(history["items"][3]["reason"], "Renouvelé.");
  Json after = Body(Get("/v1/labels/expiring?days=90&as_of=2026-12-01&collectivite=com-exp"));
  EXPECT_TRUE(after["items"].empty()) << after;
}

// At most 10 documents an application; the same file twice is recorded once; the type is checked
// by the first bytes, as for report documents; nothing is recorded on a refusal.
TEST_F(LabelApplications, TenDocumentsAtMostCheckedAsReportDocuments) {
  const std::string id = Apply(com_b_.secret, R"({"themes": ["culture.musees"],
      "evidence": "Deux expositions par an avec la ville de Thiès depuis 2019."})");
  const std::string path = "/v1/label-applications/" + id + "/documents";
  httplib::Client client = Client(com_b_.secret);
  auto upload = [&](const std::string& body, const std::string& type) {
    return client.Post((path + "?filename=piece.pdf").c_str(), body, type.c_str());
  };
  httplib::Result refused = upload("PK\x03\x04 not a pdf", "application/pdf");
  ExpectProblem(refused, 415, "Content-Type", "parameter");
  refused = upload(testing::PdfWithText("x"), "image/png");
  ExpectProblem(refused, 415, "Content-Type", "parameter");
  for (int i = 0; i < 10; ++i) {
    httplib::Result stored =
        upload(testing::PdfWithText("Piece " + std::to_string(i)), "application/pdf");
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->status, 201) << stored->body;
    if (i == 4) {
      // The same file again: the record kept, nothing added.
      httplib::Result again = upload(testing::PdfWithText("Piece 3"), "application/pdf");
      ASSERT_TRUE(again);
      EXPECT_EQ(again->status, 201);
      EXPECT_EQ(Body(again)["sha256"], testing::Sha256Hex(testing::PdfWithText("Piece 3")));
      EXPECT_EQ(Body(Get("/v1/label-applications/" + id))["documents"].size(), 5u);
    }
  }
  // Full: refused before the body is read, even a file it holds.
  httplib::Result eleventh = upload(testing::PdfWithText("Piece 10"), "application/pdf");
  ExpectProblem(eleventh, 409, "id", "parameter");
  Json application = Body(Get("/v1/label-applications/" + id, com_b_.secret));
  ASSERT_EQ(application["documents"].size(), 10u);
  EXPECT_EQ(application["documents"][0]["sha256"],
            testing::Sha256Hex(testing::PdfWithText("Piece 0")));
  EXPECT_EQ(application["documents"][0]["filename"], "piece.pdf");
  // An analyst reads them; it may not add one.
  EXPECT_EQ(Client(analyst_)
                .Post(path.c_str(), testing::PdfWithText("Analyste"), "application/pdf")
                ->status,
            403);
}

// A label counts on its last day (`until`) and no longer the day after: the match's hard filter.
TEST_F(LabelApplications, ALabelCountsOnItsLastDayAndNotTheDayAfter) {
  auto filter_of_com_b = [&](const std::string& end) -> std::string {
    Json need{{"country", "SN"},
              {"partner", {{"name", "Commune de Podor"}}},
              {"themes", {{{"theme", "env.eau"}, {"weight", 1}}}},
              {"languages", {"fr"}},
              {"period", {{"start", "2027-01-25"}, {"end", end}}}};
    Json match = Body(Post("/v1/match", Json{{"need", need}, {"include_excluded", true}}.dump()));
    for (const Json& candidate : match["candidates"])
      if (candidate["collectivite"]["id"] == "com-b") return "eligible";
    for (const Json& excluded : match["excluded"]["items"])
      if (excluded["collectivite"]["id"] == "com-b") return excluded["filter"];
    return "absent";
  };
  EXPECT_EQ(filter_of_com_b("2027-01-31"), "eligible");
  EXPECT_EQ(filter_of_com_b("2027-02-01"), "no_active_label");
}

// The daily chore on its own store: an `expired` row the day after `until`, once; one notice per
// label and end date within 90 days.
TEST(LabelExpiryChore, WritesEachExpiryOnceAndEachNoticeOnce) {
  api::ServerOptions options;
  testing::InProcessServer server(options, /*ranking_log=*/false);
  ASSERT_TRUE(server.bound);
  store::Store& store = *server.store;
  // On 2026-12-01 com-b's water label (until 2027-01-31) is 61 days away: one notice.
  EXPECT_EQ(service::RecordLabelExpiries(store, "2026-12-01"), 1u);
  EXPECT_EQ(service::RecordLabelExpiries(store, "2026-12-01"), 0u);
  EXPECT_EQ(service::RecordLabelExpiries(store, "2027-01-31"), 0u);  // same label, same date
  store::OutboxPage outbox = store.ListOutbox({});
  ASSERT_EQ(outbox.total, 1u);
  const store::OutboxRow& notice = outbox.items[0];
  EXPECT_EQ(notice.dedupe, "label-expiry:com-b:env.eau:2027-01-31");
  EXPECT_EQ(notice.event, "label_expiring");
  EXPECT_EQ(notice.recipient, "collectivite:com-b");
  EXPECT_EQ(notice.subject,
            "EXPE-CT : votre label « Eau et assainissement » expire le 31 janvier 2027");
  EXPECT_NE(notice.body.find("Le label EXPE-CT de Commune B sur le thème « Eau et "
                             "assainissement » est valable jusqu'au 31 janvier 2027 (dans 61 "
                             "jours)."),
            std::string::npos)
      << notice.body;
  EXPECT_NE(notice.body.find("demande de renouvellement"), std::string::npos);
  EXPECT_TRUE(store.LabelHistory("com-b").empty());

  // The day after `until`: expired, written once however many passes.
  EXPECT_EQ(service::RecordLabelExpiries(store, "2027-02-01"), 0u);
  EXPECT_EQ(service::RecordLabelExpiries(store, "2027-02-01"), 0u);
  EXPECT_EQ(service::RecordLabelExpiries(store, "2027-03-15"), 0u);
  std::vector<store::LabelHistoryRow> history = store.LabelHistory("com-b");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].theme, "env.eau");
  EXPECT_EQ(history[0].event, "expired");
  EXPECT_EQ(history[0].since, "2022-01-01");
  EXPECT_EQ(history[0].until, "2027-01-31");
  EXPECT_EQ(history[0].by, "chore");
  EXPECT_EQ(store.ListOutbox({}).total, 1u);
  // Over HTTP, in the authority's history.
  httplib::Result read =
      server.Client(server.daect.secret).Get("/v1/collectivites/com-b/labels/history");
  ASSERT_TRUE(read);
  Json items = Json::parse(read->body)["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["event"], "expired");
  EXPECT_EQ(items[0]["until"], "2027-01-31");
}

// `expectmatch import --csv` appends the label changes it makes, by "import"; an unchanged
// authority (com-a) gets none, and importing the same file again writes nothing more.
TEST(LabelHistoryOfImports, AnImportAppendsTheChangesItMakes) {
  testing::ScratchDir scratch;
  const std::filesystem::path db = scratch.path() / "import.db";
  {
    store::Store store(db);
    service::OpenSnapshot(store, testing::TestData("tiny"));
  }
  const std::string command = "import --db " + db.string() + " --csv " +
                              (testing::TestData("csv") / "collectivites.csv").string();
  testing::CliRun run = testing::Expectmatch(command);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = testing::Expectmatch(command);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  store::Store store(db);
  std::vector<std::string> rows;
  for (const store::LabelHistoryRow& h : store.LabelHistory()) {
    EXPECT_EQ(h.by, "import");
    EXPECT_EQ(h.at.size(), 20u);
    rows.push_back(h.collectivite + " " + h.theme + " " + h.event + " " + h.since + " " + h.until);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{
                      "com-h env.dechets granted 2022-03-15 ",
                      "epci-i agri.irrigation granted 2023-09-01 2028-08-31",
                      "epci-i culture.musees granted 2023-09-01 ",
                      "assoc-j culture granted 2024-01-15 ",
                  }));
}

// DAECT names an authority the catalogue lacks by its SIREN: the record is made from the official
// list (name, kind, région, population, codes) with the languages and capacity the application
// declares, in the same write as the application; the next application with that SIREN finds the
// record. Every refusal names its field and creates nothing.
TEST_F(LabelApplications, AnAuthorityOfTheOfficialListAppliesByItsSiren) {
  service::ImportOfficialList(*store_, testing::TestData("official") / "data",
                              "2026-11-30T18:00:00Z");
  const std::string evidence =
      R"("evidence": "Vingt ans de gestion des déchets et un centre de tri intercommunal.")";
  auto total = [] { return Body(Get("/v1/collectivites?limit=1"))["total"].get<int>(); };
  const int before = total();
  const std::vector<std::pair<std::string, std::string>> refused = {
      {R"({"siren": "213500474", "themes": ["env.dechets"], )" + evidence + "}", "/siren"},
      {R"({"siren": "123456782", "themes": ["env.dechets"], )" + evidence + "}", "/siren"},
      {R"({"siren": "213500473", "collectivite": "com-a", "themes": ["env.dechets"], )" +
           evidence + "}",
       "/siren"},
      {R"({"siren": "213500473", "capacity_per_year": 2, "themes": ["env.dechets"], )" +
           evidence + "}",
       "/languages"},
      {R"({"collectivite": "com-a", "capacity_per_year": 2, "themes": ["env.dechets"], )" +
           evidence + "}",
       "/capacity_per_year"},
  };
  for (const auto& [body, pointer] : refused) {
    httplib::Result result = Post("/v1/label-applications", body);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 422) << body;
    EXPECT_EQ(Body(result)["errors"][0]["pointer"], pointer) << result->body;
  }
  httplib::Result own = PostAs(com_a_.secret, "/v1/label-applications",
                               R"({"siren": "213500473", "themes": ["env.dechets"], )" +
                                   evidence + "}");
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 422);
  EXPECT_EQ(Body(own)["errors"][0]["pointer"], "/siren");
  EXPECT_EQ(total(), before);

  httplib::Result created = Post("/v1/label-applications",
                                 R"({"siren": "213500473", "themes": ["env.dechets"],
                                     "languages": ["fr", "es"], "capacity_per_year": 2, )" +
                                     evidence + "}");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  EXPECT_EQ(Body(created)["collectivite"], "com-35047");
  EXPECT_EQ(Body(created)["collectivite_name"], "Bruz");
  EXPECT_EQ(total(), before + 1);
  EXPECT_EQ(Body(Get("/v1/collectivites/com-35047")), Json::parse(R"({
      "id": "com-35047", "name": "Bruz", "kind": "commune", "region": "Bretagne",
      "population": 19683, "siren": "213500473", "insee": "35047", "labels": [],
      "languages": ["fr", "es"], "capacity_per_year": 2, "experts": 0})"));
  httplib::Result again = Post("/v1/label-applications",
                               R"({"siren": "213500473", "themes": ["env.eau"], )" + evidence + "}");
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(Body(again)["collectivite"], "com-35047");
  EXPECT_EQ(total(), before + 1);
}

}  // namespace
}  // namespace expectmatch
