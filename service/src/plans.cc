#include "expectmatch/service/plans.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "expectmatch/matcher/assignment.h"
#include "expectmatch/service/assignment_json.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/match_json.h"
#include "expectmatch/service/needs.h"
#include "expectmatch/service/proposals.h"
#include "expectmatch/store_rows/store_rows.h"

namespace expectmatch::service {
namespace {

using datasets::FieldPath;
using datasets::Json;

constexpr size_t kMaxBatchNeeds = 5000;
constexpr size_t kMaxTopK = 1000;
constexpr size_t kMaxAlternates = 20;

struct AssignmentRequest {
  std::optional<matcher::Date> period_from, period_to;
  std::vector<std::string> needs;
  MatchRequest ranking;  // profile, profile_version and weights, decoded as /v1/match does
  size_t top_k = 0;
  size_t alternates = 3;
  std::optional<double> fairness_floor;
};

// Reads an integer field within [min, max] into *out.
void ReadSize(const Json& body, const char* key, size_t min, size_t max, size_t* out,
              datasets::FieldErrors* errors) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return;
  if (!it->is_number_integer() ||
      (it->is_number_unsigned() ? it->get<unsigned long long>() > max
                                : (it->get<long long>() < static_cast<long long>(min) ||
                                   it->get<long long>() > static_cast<long long>(max)))) {
    errors->push_back({FieldPath().Key(key), "must be an integer between " + std::to_string(min) +
                                                 " and " + std::to_string(max)});
    return;
  }
  *out = static_cast<size_t>(it->get<long long>());
}

std::optional<AssignmentRequest> DecodeAssignmentRequest(const Json& body,
                                                         datasets::FieldErrors* errors) {
  const FieldPath root;
  if (!body.is_object()) {
    errors->push_back(
        {root, "expected a JSON object, got " + std::string(datasets::JsonTypeName(body))});
    return std::nullopt;
  }
  static const std::set<std::string> kKnown = {"period_from", "period_to",       "needs",
                                               "profile",     "profile_version", "weights",
                                               "top_k",       "alternates",      "fairness_floor"};
  for (const auto& [key, value] : body.items()) {
    if (!kKnown.count(key)) errors->push_back({root.Key(key), "unknown field"});
  }
  AssignmentRequest request;
  for (auto [key, target] : {std::pair{"period_from", &request.period_from},
                             std::pair{"period_to", &request.period_to}}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_string() || !(*target = matcher::ParseIsoDate(it->get<std::string>()))) {
      errors->push_back({root.Key(key), "expected a date YYYY-MM-DD"});
    }
  }
  if (request.period_from && request.period_to && *request.period_to < *request.period_from) {
    errors->push_back({root.Key("period_to"), "must not be before period_from"});
  }
  if (auto it = body.find("needs"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) {
      errors->push_back({root.Key("needs"), "expected an array of need ids"});
    } else if (it->size() > kMaxBatchNeeds) {
      errors->push_back(
          {root.Key("needs"), "at most " + std::to_string(kMaxBatchNeeds) + " needs per batch"});
    } else {
      std::set<std::string> seen;
      for (size_t i = 0; i < it->size(); ++i) {
        const Json& id = (*it)[i];
        if (!id.is_string() || id.get<std::string>().empty()) {
          errors->push_back({root.Key("needs").Index(i), "expected a non-empty string"});
        } else if (!seen.insert(id.get<std::string>()).second) {
          errors->push_back({root.Key("needs").Index(i), "listed twice"});
        } else {
          request.needs.push_back(id.get<std::string>());
        }
      }
    }
  }
  if (!request.period_from && !request.period_to && !body.contains("needs")) {
    errors->push_back({root.Key("period_from"),
                       "required: a period (period_from, period_to) or a list of needs"});
  }
  // The profile fields share /v1/match's decoding (a need id placates its required field).
  Json ranking = Json::object();
  ranking["need_id"] = "batch";
  for (const char* key : {"profile", "profile_version", "weights"}) {
    if (body.contains(key)) ranking[key] = body[key];
  }
  if (std::optional<MatchRequest> decoded =
          DecodeMatchRequest(ranking, datasets::References{}, errors))
    request.ranking = *decoded;
  ReadSize(body, "top_k", 0, kMaxTopK, &request.top_k, errors);
  ReadSize(body, "alternates", 0, kMaxAlternates, &request.alternates, errors);
  if (auto it = body.find("fairness_floor"); it != body.end() && !it->is_null()) {
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0 ||
        it->get<double>() > 1e6) {
      errors->push_back({root.Key("fairness_floor"), "must be a number between 0 and 1000000"});
    } else {
      request.fairness_floor = it->get<double>();
    }
  }
  if (!errors->empty()) return std::nullopt;
  return request;
}

Json CollectiviteRef(const matcher::Catalogue& catalogue, const std::string& id) {
  int index = catalogue.FindCollectivite(id);
  return {{"id", id},
          {"name", index >= 0 ? catalogue.collectivites()[static_cast<size_t>(index)].name : ""}};
}

Json EncodePlan(const matcher::Catalogue& catalogue, const std::vector<const matcher::Need*>& needs,
                const matcher::AssignmentProblem& p, const matcher::AssignmentResult& r) {
  auto pairs = [&](const std::vector<matcher::AssignedAuthority>& list) {
    Json out = Json::array();
    for (const matcher::AssignedAuthority& a : list) {
      out.push_back({{"collectivite", CollectiviteRef(catalogue, p.authorities[a.authority])},
                     {"score", a.score}});
    }
    return out;
  };
  Json needs_json = Json::array();
  for (size_t i = 0; i < needs.size(); ++i) {
    const matcher::Need& need = *needs[i];
    const matcher::NeedPlan& plan = r.needs[i];
    Json entry{{"need",
                {{"id", need.id},
                 {"country", need.country},
                 {"country_name", catalogue.CountryName(need.country)},
                 {"partner", need.partner.name},
                 {"period",
                  {{"start", matcher::FormatIsoDate(need.period.start)},
                   {"end", matcher::FormatIsoDate(need.period.end)}}}}},
               {"demand", p.demand.empty() ? 1 : p.demand[i]},
               {"assigned", pairs(plan.assigned)},
               {"total", plan.total},
               {"missing", plan.missing},
               {"alternates", pairs(plan.alternates)}};
    if (plan.missing > 0) entry["reason"] = plan.reason;
    needs_json.push_back(std::move(entry));
  }
  Json authorities = Json::array();
  for (size_t j = 0; j < p.authorities.size(); ++j) {
    authorities.push_back({{"collectivite", CollectiviteRef(catalogue, p.authorities[j])},
                           {"load", r.load[j]},
                           {"max", p.max_load.empty() ? 0 : p.max_load[j]}});
  }
  Json unplaced = Json::array();
  for (uint32_t i : r.unplaced) unplaced.push_back(p.needs[i]);
  Json out{{"feasible", r.feasible},
           {"relaxed", r.relaxed},
           {"total_score", r.total_score},
           {"lowest_need_total", r.lowest_need_total},
           {"top_k", p.top_k},
           {"cut_may_matter", r.cut_may_matter},
           {"needs", needs_json},
           {"collectivites", authorities},
           {"unplaced", unplaced},
           {"diagnostics", r.diagnostics}};
  if (r.fairness) out["fairness"] = EncodeFairness(*r.fairness, p.needs);
  return out;
}

// The stored plan as the API shows it: the plan document with its acceptance state.
Json PlanDocument(const store::AssignmentRow& row) {
  Json plan = Json::parse(row.plan);
  plan["status"] = row.accepted_at.empty() ? "proposed" : "accepted";
  if (!row.accepted_at.empty()) {
    plan["accepted_at"] = row.accepted_at;
    plan["accepted_by"] = row.accepted_by;
  }
  return plan;
}

Status UnknownPlan(const std::string& id) {
  return Status::NotFound("unknown assignment plan \"" + id + "\"",
                          {{"", "id", "no plan with this id"}});
}

}  // namespace

Status Plans::Plan(const Principal* caller, const Json& body, Json* out) const {
  datasets::FieldErrors errors;
  std::optional<AssignmentRequest> request = DecodeAssignmentRequest(body, &errors);
  if (!request) return Status::InvalidArgument("the assignment request is invalid", errors);

  // Plans are made on the stored state: catch up with writes the refresher has not seen yet.
  snapshots_.Refresh();
  auto snap = snapshots_.current();
  const matcher::Catalogue& catalogue = snap->catalogue;
  std::vector<const matcher::Need*> needs;
  std::set<std::string> chosen;
  for (size_t i = 0; i < request->needs.size(); ++i) {
    const std::string& id = request->needs[i];
    int index = catalogue.FindNeed(id);
    const FieldPath path = FieldPath().Key("needs").Index(i);
    if (index < 0) {
      errors.push_back({path, "unknown need \"" + id + "\""});
      continue;
    }
    const matcher::Need& need = catalogue.needs()[static_cast<size_t>(index)];
    if (!matcher::IsOpenForAssignment(need)) {
      errors.push_back({path, "the need is " + std::string(datasets::StatusName(need.status)) +
                                  "; only submitted or shortlisted needs are assigned in a batch"});
      continue;
    }
    needs.push_back(&need);
    chosen.insert(id);
  }
  if (request->period_from || request->period_to) {
    for (const matcher::Need* need :
         matcher::OpenNeedsOfPeriod(catalogue, request->period_from, request->period_to)) {
      if (chosen.insert(need->id).second) needs.push_back(need);
    }
  }
  if (errors.empty() && needs.empty()) {
    errors.push_back({FieldPath().Key(request->period_from ? "period_from"
                                      : request->period_to ? "period_to"
                                                           : "needs"),
                      "no submitted or shortlisted need in this selection"});
  }
  if (errors.empty() && needs.size() > kMaxBatchNeeds) {
    errors.push_back({FieldPath().Key("period_from"),
                      "the period holds " + std::to_string(needs.size()) + " open needs; at most " +
                          std::to_string(kMaxBatchNeeds) + " per batch"});
  }
  if (!errors.empty()) return Status::InvalidArgument("the assignment request is invalid", errors);
  std::sort(needs.begin(), needs.end(),
            [](const matcher::Need* a, const matcher::Need* b) { return a->id < b->id; });

  const MatchRequest& ranking = request->ranking;
  matcher::Profile base;
  if (Status found = profiles_.Resolve(ranking.profile, ranking.profile_version, &base);
      !found.ok()) {
    // A profile named in the body is one of its fields (422, not 404).
    return Status::InvalidArgument("the assignment request is invalid",
                                   {{found.fields().front().pointer, "", found.message()}});
  }
  std::optional<matcher::Profile> profile = EffectiveProfile(base, ranking, &errors);
  if (!profile) return Status::InvalidArgument("the assignment request is invalid", errors);

  // Capacities are those of the year the period starts (or the earliest need's year).
  const int year = matcher::CapacityYear(needs, request->period_from);
  matcher::AssignmentProblem problem =
      matcher::ProblemFromCatalogue(catalogue, needs, *profile, year);
  problem.top_k = request->top_k;
  matcher::AssignOptions options;
  options.alternates = request->alternates;
  options.fairness_floor = request->fairness_floor;
  matcher::AssignmentResult result = matcher::AssignBatch(problem, options);

  // Each need's stored document now: accepting the plan later is compare-and-set against it.
  Json at_plan_time = Json::object();
  for (const matcher::Need* need : needs) {
    std::optional<store::NeedRow> row = store_.GetNeed(need->id);
    at_plan_time[need->id] = row ? row->json : datasets::Encode(*need).dump();
  }
  store::AssignmentRow row;
  row.id = "as_" + NewRequestId().substr(0, 16);
  row.created_at = NowRfc3339();
  row.created_by = caller ? caller->key_id : "";
  row.request = body.dump();
  Json plan{{"id", row.id},
            {"created_at", row.created_at},
            {"created_by", row.created_by},
            {"profile",
             {{"name", profile->name},
              {"version", profile->version},
              {"weights", EncodeWeights(profile->weights)}}},
            {"year", year}};
  plan.update(EncodePlan(catalogue, needs, problem, result));
  row.plan = plan.dump();
  row.needs = at_plan_time.dump();
  store_.InsertAssignment(row);
  *out = PlanDocument(row);
  return Status::Ok();
}

Status Plans::Get(const std::string& id, Json* out) const {
  std::optional<store::AssignmentRow> row = store_.GetAssignment(id);
  if (!row) return UnknownPlan(id);
  *out = PlanDocument(*row);
  return Status::Ok();
}

Status Plans::Accept(const Principal* caller, const std::string& id, const Json* body,
                     Json* out) const {
  std::optional<store::AssignmentRow> row = store_.GetAssignment(id);
  if (!row) return UnknownPlan(id);
  std::string note;
  // The day the authorities must answer by: two weeks unless the body says otherwise.
  std::string respond_by =
      matcher::FormatIsoDate(matcher::Date{matcher::ParseIsoDate(Today())->days + 14});
  if (body) {
    datasets::FieldErrors errors;
    if (!body->is_object()) {
      errors.push_back({FieldPath(), "expected a JSON object"});
    } else {
      for (const auto& [key, value] : body->items()) {
        if ((key == "note" || key == "respond_by") && value.is_string()) {
          (key == "note" ? note : respond_by) = value.get<std::string>();
        } else {
          errors.push_back({FieldPath().Key(key), key == "note" || key == "respond_by"
                                                      ? "expected a string"
                                                      : "unknown field"});
        }
      }
      if (body->contains("respond_by") && (*body)["respond_by"].is_string()) {
        if (!matcher::ParseIsoDate(respond_by)) {
          errors.push_back({FieldPath().Key("respond_by"), "expected a date YYYY-MM-DD"});
        } else if (respond_by < Today()) {
          errors.push_back({FieldPath().Key("respond_by"), "must be today or later"});
        }
      }
    }
    if (!errors.empty()) return Status::InvalidArgument("the acceptance is invalid", errors);
  }
  if (!row->accepted_at.empty()) {
    return Status::Conflict("this plan was accepted on " + row->accepted_at,
                            {{"", "id", "already accepted"}});
  }

  const Json plan = Json::parse(row->plan);
  const Json at_plan_time = Json::parse(row->needs);
  const std::string now = NowRfc3339();
  const std::string by = caller ? caller->key_id : "";
  // Accepting a plan proposes each need to the authority the plan assigns it: the authorities
  // answer each proposal (service::Proposals), which is what decides.
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  std::vector<store::NeedUpdate> updates;
  Json proposals = Json::array();
  for (const Json& entry : plan["needs"]) {
    if (entry["assigned"].empty()) continue;
    const std::string need_id = entry["need"]["id"].get<std::string>();
    const std::string collectivite = entry["assigned"][0]["collectivite"]["id"].get<std::string>();
    const std::string expected = at_plan_time.value(need_id, "");
    Json document = Json::parse(expected);
    document["status"] = "proposed";
    datasets::FieldErrors errors;
    std::optional<matcher::Need> need =
        datasets::DecodeNeed(document, FieldPath(), datasets::References{}, &errors);
    if (!need) throw std::runtime_error("stored need " + need_id + " no longer decodes");
    store::ProposalRow proposal;
    proposal.id = "p-" + NewRequestId().substr(0, 12);
    proposal.need = need_id;
    proposal.collectivite = collectivite;
    proposal.message = note.empty() ? "plan " + row->id : note + " (plan " + row->id + ")";
    proposal.respond_by = respond_by;
    proposal.status = "waiting";
    proposal.created_at = now;
    proposal.created_by = by;
    proposal.assignment = row->id;
    proposal.why = Json{{"plan", row->id}, {"assigned", entry["assigned"][0]}}.dump();
    store::NeedUpdate update;
    update.row = store_rows::NeedRowFor(*need);
    update.expected = expected;
    update.proposals.push_back({proposal, ""});
    update.mail.push_back(ProposalMadeMail(*snapshot, *need, proposal));
    updates.push_back(std::move(update));
    proposals.push_back(
        {{"need", need_id}, {"collectivite", collectivite}, {"proposal", proposal.id}});
  }
  store::AcceptOutcome outcome = store_.AcceptAssignment(row->id, updates, now, by);
  if (outcome.already_accepted)
    return Status::Conflict("this plan was accepted meanwhile", {{"", "id", "already accepted"}});
  if (!outcome.changed.empty()) {
    std::vector<FieldIssue> fields;
    for (const std::string& need : outcome.changed) {
      fields.push_back({"", "id", "need \"" + need + "\" changed since the plan was computed"});
    }
    return Status::Conflict(
        "needs changed since the plan was computed; nothing was recorded: compute a new plan",
        fields);
  }
  snapshots_.RequestRefresh();
  row->accepted_at = now;
  row->accepted_by = by;
  *out = PlanDocument(*row);
  (*out)["proposals"] = proposals;
  return Status::Ok();
}

}  // namespace expectmatch::service
