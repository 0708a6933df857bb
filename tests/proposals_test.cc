// Proposals of needs to authorities and their answers, the collectivite role, and the declined
// hard filter, on a live server over the tiny data set.
#include "expectmatch/matcher/date.h"
#include "expectmatch/service/clock.h"
#include "live_server.h"

namespace expectmatch::api {
namespace {

using datasets::Json;
using service::CreateApiKey;
using service::Role;

class Proposals : public testing::LiveServer<Proposals> {
 protected:
  static void SetUpTestSuite() {
    LiveServer<Proposals>::SetUpTestSuite();
    dep_c_ = CreateApiKey(*store_, Role::kCollectivite, "dep-c", "Département C").secret;
    com_a_ = CreateApiKey(*store_, Role::kCollectivite, "com-a", "Commune A").secret;
  }

  // A need of Senegal on water, in May 2027, in French.
  static void Submit(const std::string& id) {
    const std::string need =
        R"({"id": ")" + id +
        R"(", "country": "SN", "partner": {"name": "Commune de Louga"},
        "themes": [{"theme": "env.eau", "weight": 1}], "languages": ["fr"],
        "period": {"start": "2027-05-03", "end": "2027-05-07"},
        "description": "Réseau d'eau potable de Louga."})";
    auto created = Post("/v1/needs", need);
    ASSERT_EQ(created->status, 201) << created->body;
  }
  static std::string InDays(int days) {
    return matcher::FormatIsoDate(
        matcher::Date{matcher::ParseIsoDate(service::Today())->days + days});
  }
  static httplib::Result Propose(const std::string& need, const std::string& collectivite,
                                 const std::string& respond_by = InDays(10)) {
    return Post("/v1/needs/" + need + "/proposals",
                Json{{"collectivite", collectivite},
                     {"message", "Pouvez-vous accompagner Louga ?"},
                     {"respond_by", respond_by}}
                    .dump());
  }
  static Json Need(const std::string& id) { return Json::parse(Get("/v1/needs/" + id)->body); }
  // The outbox's messages of one event for one recipient, newest first.
  static std::vector<store::OutboxRow> Mail(const std::string& event,
                                            const std::string& recipient) {
    std::vector<store::OutboxRow> out;
    store::OutboxQuery query;
    query.limit = 1000;
    for (store::OutboxRow& row : store_->ListOutbox(query).items) {
      if (row.event == event && row.recipient == recipient) out.push_back(std::move(row));
    }
    return out;
  }

  static inline std::string dep_c_, com_a_;
};

TEST_F(Proposals, AProposalIsRefusedWhenAHardFilterExcludesTheAuthority) {
  Submit("n-pr-filter");
  // com-e holds no label on water, com-g speaks neither French nor the need's languages.
  auto refused = Propose("n-pr-filter", "com-e");
  ExpectProblem(refused, 422, "/collectivite");
  EXPECT_EQ(Json::parse(refused->body)["filter"], "no_active_label");
  refused = Propose("n-pr-filter", "com-g");
  ExpectProblem(refused, 422, "/collectivite");
  EXPECT_EQ(Json::parse(refused->body)["filter"], "language");
  ExpectProblem(Propose("n-pr-filter", "com-zz"), 422, "/collectivite");
  ExpectProblem(Propose("n-pr-filter", "dep-c", "2020-01-01"), 422, "/respond_by");
  ExpectProblem(Propose("n-pr-filter", "dep-c", "demain"), 422, "/respond_by");
  ExpectProblem(Post("/v1/needs/n-pr-filter/proposals", R"({"respond_by": "2030-01-01"})"), 422,
                "/collectivite");
  ExpectProblem(Post("/v1/needs/n-pr-filter/proposals",
                     R"({"collectivite": "dep-c", "respond_by": "2030-01-01", "colour": 1})"),
                422, "/colour");
  ExpectProblem(Propose("n-nope", "dep-c"), 404, "id", "parameter");
  // A need is proposed through its route only.
  ExpectProblem(Patch("/v1/needs/n-pr-filter", R"({"status": "proposed"})"), 409, "/status");
  // Nothing was stored by the refusals.
  EXPECT_EQ(Need("n-pr-filter")["status"], "submitted");
  EXPECT_TRUE(Need("n-pr-filter")["proposals"].empty());
  // Only DAECT proposes.
  EXPECT_EQ(Post("/v1/needs/n-pr-filter/proposals", "{}", "application/json", analyst_)->status,
            403);
  EXPECT_EQ(Post("/v1/needs/n-pr-filter/proposals", "{}", "application/json", dep_c_)->status,
            403);
}

TEST_F(Proposals, ProposeDeclineProposeTheNextAccept) {
  Submit("n-pr-flow");
  auto made = Propose("n-pr-flow", "dep-c");
  ASSERT_EQ(made->status, 201) << made->body;
  const Json first = Json::parse(made->body);
  const std::string first_id = first["id"];
  EXPECT_EQ(made->get_header_value("Location"), "/v1/proposals/" + first_id);
  EXPECT_EQ(first["status"], "waiting");
  EXPECT_EQ(first["collectivite_name"], "Département C");
  EXPECT_EQ(first["need_summary"]["description"], "Réseau d'eau potable de Louga.");
  EXPECT_GE(first["why"]["rank"].get<int>(), 1);
  EXPECT_FALSE(first["why"]["reasons"]["thematic"].get<std::string>().empty());
  EXPECT_EQ(Need("n-pr-flow")["status"], "proposed");
  // The authority is told, in French, in the proposal's own transaction.
  std::vector<store::OutboxRow> told = Mail("proposal_made", "collectivite:dep-c");
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(told[0].dedupe, "proposal:" + first_id + ":made");
  EXPECT_NE(told[0].subject.find("Sénégal"), std::string::npos) << told[0].subject;
  EXPECT_NE(told[0].body.find("Réseau d'eau potable de Louga."), std::string::npos);
  // One proposal at a time; a proposed need is not edited or moved by hand.
  ExpectProblem(Propose("n-pr-flow", "com-a"), 409, "id", "parameter");
  ExpectProblem(Patch("/v1/needs/n-pr-flow", R"({"status": "shortlisted"})"), 409, "/status");
  ExpectProblem(Post("/v1/needs/n-pr-flow/decision", R"({"collectivite": "com-a"})"), 409,
                "/collectivite");

  // The authority sees the proposals made to it, and nothing of another's: another authority's
  // proposal answers exactly like an unknown one.
  Json mine = Json::parse(Get("/v1/proposals?status=waiting", dep_c_)->body);
  ASSERT_GE(mine["total"].get<int>(), 1);
  for (const Json& item : mine["items"]) EXPECT_EQ(item["collectivite"], "dep-c");
  EXPECT_EQ(Get("/v1/proposals/" + first_id, dep_c_)->status, 200);
  auto hidden = Get("/v1/proposals/" + first_id, com_a_);
  auto unknown = Get("/v1/proposals/p-000000000000", com_a_);
  EXPECT_EQ(hidden->status, 404);
  Json hidden_body = Json::parse(hidden->body), unknown_body = Json::parse(unknown->body);
  hidden_body.erase("detail");
  unknown_body.erase("detail");
  EXPECT_EQ(hidden_body, unknown_body);
  EXPECT_EQ(Json::parse(hidden->body)["detail"].get<std::string>().find(first_id),
            Json::parse(unknown->body)["detail"].get<std::string>().find("p-000000000000"));
  EXPECT_EQ(PostAs(com_a_, "/v1/proposals/" + first_id + "/decline", R"({"reason": "x"})")->status,
            404);
  ExpectProblem(Get("/v1/proposals?collectivite=dep-c", com_a_), 403, "collectivite",
                "parameter");
  // Its own record, not another's; no need lists, no matching.
  EXPECT_EQ(Get("/v1/collectivites/dep-c", dep_c_)->status, 200);
  EXPECT_EQ(Get("/v1/collectivites/com-a", dep_c_)->status, 404);
  EXPECT_EQ(Get("/v1/needs", dep_c_)->status, 403);
  EXPECT_EQ(Get("/v1/needs/n-pr-flow", dep_c_)->status, 403);
  EXPECT_EQ(Post("/v1/match", R"({"need_id": "n-pr-flow"})", "application/json", dep_c_)->status,
            403);
  EXPECT_EQ(Json::parse(Get("/v1/whoami", dep_c_)->body)["collectivite"], "dep-c");

  // A decline needs a reason; then the need goes back to the shortlist.
  ExpectProblem(PostAs(dep_c_, "/v1/proposals/" + first_id + "/decline", "{}"), 422, "/reason");
  ExpectProblem(PostAs(dep_c_, "/v1/proposals/" + first_id + "/decline", R"({"reason": "  "})"),
                422, "/reason");
  auto declined = PostAs(dep_c_, "/v1/proposals/" + first_id + "/decline",
                         R"({"reason": "Pas d'expert disponible en mai"})");
  ASSERT_EQ(declined->status, 200) << declined->body;
  EXPECT_EQ(Json::parse(declined->body)["status"], "declined");
  EXPECT_EQ(Json::parse(declined->body)["reason"], "Pas d'expert disponible en mai");
  EXPECT_EQ(Need("n-pr-flow")["status"], "shortlisted");
  ASSERT_FALSE(Mail("proposal_declined", "daect").empty());
  EXPECT_NE(Mail("proposal_declined", "daect")[0].body.find("Pas d'expert disponible en mai"),
            std::string::npos);
  ExpectProblem(PostAs(dep_c_, "/v1/proposals/" + first_id + "/accept", ""), 409, "id",
                "parameter");

  // The authority that declined is left out of the need's next rankings, counted under its
  // own filter, and cannot be proposed the need again.
  service_->Refresh();
  Json ranking =
      Json::parse(Post("/v1/match", R"({"need_id": "n-pr-flow", "include_excluded": true})")->body);
  EXPECT_EQ(ranking["excluded"]["by_filter"]["declined"], 1);
  for (const Json& candidate : ranking["candidates"])
    EXPECT_NE(candidate["collectivite"]["id"], "dep-c");
  bool listed = false;
  for (const Json& item : ranking["excluded"]["items"]) {
    if (item["collectivite"]["id"] == "dep-c") {
      EXPECT_EQ(item["filter"], "declined");
      listed = true;
    }
  }
  EXPECT_TRUE(listed) << ranking["excluded"].dump();
  auto again = Propose("n-pr-flow", "dep-c");
  ExpectProblem(again, 422, "/collectivite");
  EXPECT_EQ(Json::parse(again->body)["filter"], "declined");

  // The next candidate accepts: that is the decision.
  made = Propose("n-pr-flow", "com-a");
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string second_id = Json::parse(made->body)["id"];
  auto accepted = PostAs(com_a_, "/v1/proposals/" + second_id + "/accept", "");
  ASSERT_EQ(accepted->status, 200) << accepted->body;
  EXPECT_EQ(Json::parse(accepted->body)["status"], "accepted");
  Json need = Need("n-pr-flow");
  EXPECT_EQ(need["status"], "assigned");
  EXPECT_EQ(need["selected"], "com-a");
  ASSERT_EQ(need["decisions"].size(), 1u);
  EXPECT_EQ(need["decisions"][0]["note"], "proposition " + second_id + " acceptée");
  // The need's history: both proposals with their answers, oldest first.
  ASSERT_EQ(need["proposals"].size(), 2u);
  EXPECT_EQ(need["proposals"][0]["status"], "declined");
  EXPECT_EQ(need["proposals"][0]["reason"], "Pas d'expert disponible en mai");
  EXPECT_EQ(need["proposals"][1]["status"], "accepted");
  Json of_need = Json::parse(Get("/v1/needs/n-pr-flow/proposals")->body);
  EXPECT_EQ(of_need["total"], 2);
  EXPECT_EQ(of_need["items"][0]["id"], second_id);
  ASSERT_FALSE(Mail("proposal_accepted", "daect").empty());
  ExpectProblem(PostAs(com_a_, "/v1/proposals/" + second_id + "/accept", ""), 409, "id",
                "parameter");
  ExpectProblem(PostAs(com_a_, "/v1/proposals/" + second_id + "/decline", R"({"reason": "x"})"),
                409, "id", "parameter");
}

TEST_F(Proposals, AnUnansweredProposalExpiresAfterItsDay) {
  Submit("n-pr-expiry");
  auto made = Propose("n-pr-expiry", "com-f", InDays(0));
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = Json::parse(made->body)["id"];
  // Still open on its last day.
  EXPECT_EQ(service_->proposals().ExpireDue(InDays(0)), 0u);
  EXPECT_EQ(Json::parse(Get("/v1/proposals/" + id)->body)["status"], "waiting");
  // The day after, it expires: the need is back on the shortlist, DAECT and the authority told.
  EXPECT_EQ(service_->proposals().ExpireDue(InDays(1)), 1u);
  EXPECT_EQ(service_->proposals().ExpireDue(InDays(1)), 0u);
  Json expired = Json::parse(Get("/v1/proposals/" + id)->body);
  EXPECT_EQ(expired["status"], "expired");
  EXPECT_FALSE(expired["answered_at"].is_null());
  EXPECT_EQ(Need("n-pr-expiry")["status"], "shortlisted");
  bool daect_told = false, authority_told = false;
  for (const store::OutboxRow& row : Mail("proposal_expired", "daect"))
    daect_told |= row.dedupe == "proposal:" + id + ":expired";
  for (const store::OutboxRow& row : Mail("proposal_expired", "collectivite:com-f"))
    authority_told |= row.dedupe == "proposal:" + id + ":expired:authority";
  EXPECT_TRUE(daect_told);
  EXPECT_TRUE(authority_told);
  ExpectProblem(Post("/v1/proposals/" + id + "/accept", ""), 409, "id", "parameter");
  // An expired authority is not a declined one: it may be proposed the need again.
  EXPECT_EQ(Propose("n-pr-expiry", "com-f")->status, 201);
}

TEST_F(Proposals, DaectWithdrawsAProposalOrCancelsItsNeed) {
  Submit("n-pr-withdraw");
  std::string id = Json::parse(Propose("n-pr-withdraw", "com-f")->body)["id"];
  auto withdrawn = Post("/v1/proposals/" + id + "/withdraw", R"({"reason": "Besoin reformulé"})");
  ASSERT_EQ(withdrawn->status, 200) << withdrawn->body;
  EXPECT_EQ(Json::parse(withdrawn->body)["status"], "withdrawn");
  EXPECT_EQ(Need("n-pr-withdraw")["status"], "shortlisted");
  ExpectProblem(Post("/v1/proposals/" + id + "/accept", ""), 409, "id", "parameter");
  ExpectProblem(Post("/v1/proposals/" + id + "/withdraw", ""), 409, "id", "parameter");
  ASSERT_FALSE(Mail("proposal_withdrawn", "collectivite:com-f").empty());

  id = Json::parse(Propose("n-pr-withdraw", "com-f")->body)["id"];
  auto cancelled = Patch("/v1/needs/n-pr-withdraw", R"({"status": "cancelled"})");
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  Json proposal = Json::parse(Get("/v1/proposals/" + id)->body);
  EXPECT_EQ(proposal["status"], "withdrawn");
  EXPECT_EQ(proposal["reason"], "besoin annulé");
  EXPECT_EQ(Need("n-pr-withdraw")["status"], "cancelled");
}

TEST_F(Proposals, AnAuthorityWithoutCapacityLeftIsNotProposed) {
  // com-f takes one mission a year: a need of 2027 assigned to it uses it up.
  Submit("n-pr-cap-1");
  ASSERT_EQ(Post("/v1/needs/n-pr-cap-1/decision", R"({"collectivite": "com-f"})")->status, 200);
  service_->Refresh();
  Submit("n-pr-cap-2");
  auto refused = Propose("n-pr-cap-2", "com-f");
  ExpectProblem(refused, 422, "/collectivite");
  EXPECT_EQ(Json::parse(refused->body)["filter"], "no_capacity");
  EXPECT_EQ(Need("n-pr-cap-2")["status"], "submitted");
  // Freed again when the decision is withdrawn.
  ASSERT_EQ(Patch("/v1/needs/n-pr-cap-1", R"({"status": "shortlisted"})")->status, 200);
  service_->Refresh();
  EXPECT_EQ(Propose("n-pr-cap-2", "com-f")->status, 201);
}

TEST_F(Proposals, AnAcceptedBatchPlanProposesEachNeed) {
  Submit("n-pr-plan");
  service_->Refresh();
  auto planned = Post("/v1/assignments", R"({"needs": ["n-pr-plan"]})");
  ASSERT_EQ(planned->status, 201) << planned->body;
  const Json plan = Json::parse(planned->body);
  const std::string chosen = plan["needs"][0]["assigned"][0]["collectivite"]["id"];
  const std::string path = "/v1/assignments/" + plan["id"].get<std::string>() + "/accept";
  ExpectProblem(Post(path, R"({"respond_by": "2020-01-01"})"), 422, "/respond_by");
  auto accepted = Post(path, Json{{"respond_by", InDays(7)}}.dump());
  ASSERT_EQ(accepted->status, 200) << accepted->body;
  const Json body = Json::parse(accepted->body);
  ASSERT_EQ(body["proposals"].size(), 1u);
  EXPECT_EQ(body["proposals"][0]["collectivite"], chosen);
  Json need = Need("n-pr-plan");
  EXPECT_EQ(need["status"], "proposed");
  EXPECT_TRUE(need["decisions"].empty());
  Json proposal =
      Json::parse(Get("/v1/proposals/" + body["proposals"][0]["proposal"].get<std::string>())->body);
  EXPECT_EQ(proposal["status"], "waiting");
  EXPECT_EQ(proposal["respond_by"], InDays(7));
  EXPECT_EQ(proposal["assignment"], plan["id"]);
  EXPECT_EQ(proposal["why"]["plan"], plan["id"]);
}

}  // namespace
}  // namespace expectmatch::api
