// Needs: submission, listing, the lifecycle, decisions, mission outcomes, overdue reports.
#include <algorithm>
#include <set>
#include <variant>

#include "expectmatch/api/service.h"
#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/lifecycle.h"
#include "handler_util.h"

namespace expectmatch::api {
namespace {

using datasets::FieldPath;
using internal::Json;
using internal::JsonResponse;
using matcher::NeedStatus;

bool IsEmbassy(const Call& call) { return call.principal && call.principal->role == Role::kEmbassy; }

std::string Moves(NeedStatus from) {
  std::string out;
  for (NeedStatus to : matcher::AllowedMoves(from)) out += (out.empty() ? "" : ", ") + std::string(datasets::StatusName(to));
  return out.empty() ? "none (final state)" : out;
}

Json DecisionsJson(store::Store& store, const std::string& need) {
  Json out = Json::array();
  for (const store::DecisionRow& d : store.Decisions(need)) {
    out.push_back({{"collectivite", d.collectivite}, {"decided_at", d.decided_at}, {"decided_by", d.decided_by}, {"note", d.note}});
  }
  return out;
}

HttpResponse NeedResponse(int status, store::Store& store, const Json& need) {
  Json body = need;
  body["decisions"] = DecisionsJson(store, need.value("id", ""));
  // The mission of the authority selected now, when one is recorded (the last one).
  const std::string selected = need.value("selected", "");
  for (const store::Document& doc : store.MissionsOfNeed(need.value("id", ""))) {
    Json mission = Json::parse(doc.json);
    if (!selected.empty() && mission.value("collectivite", "") == selected) body["mission"] = std::move(mission);
  }
  return JsonResponse(status, body);
}

// The stored need `id` visible to the caller, or the problem to answer.
std::variant<store::NeedRow, HttpResponse> FindNeed(store::Store& store, const Call& call) {
  const std::string& id = call.params.at("id");
  std::optional<store::NeedRow> row = store.GetNeed(id);
  if (!row) return Problem(404, "unknown need \"" + id + "\"", {{"", "id", "no need with this id"}});
  if (IsEmbassy(call) && row->country != call.principal->country) {
    return Problem(403, "this key may only read needs of " + call.principal->country, {{"", "id", "the need is in " + row->country}});
  }
  return *row;
}

bool ValidDate(const std::string& text) { return matcher::ParseIsoDate(text).has_value(); }

}  // namespace

HttpResponse Service::GetNeeds(const Call& call) const {
  store::NeedQuery query;
  std::vector<ProblemField> errors;
  for (const auto& [name, value] : call.request.query) {
    if (name == "status") {
      if (!datasets::StatusFromName(value)) errors.push_back({"", name, "unknown status \"" + value + "\""});
      query.status = value;
    } else if (name == "country") {
      if (!datasets::FindCountry(value)) errors.push_back({"", name, "unknown country \"" + value + "\", expected ISO 3166-1 alpha-2"});
      query.country = value;
    } else if (name == "theme") {
      if (!snapshot()->theme_ids.count(value)) errors.push_back({"", name, "unknown theme \"" + value + "\""});
      query.theme = value;
    } else if (name == "period_from" || name == "period_to") {
      if (!ValidDate(value)) errors.push_back({"", name, "invalid date \"" + value + "\", expected YYYY-MM-DD"});
      (name == "period_from" ? query.period_from : query.period_to) = value;
    } else if (internal::ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Problem(400, "invalid query parameters", errors);
  if (IsEmbassy(call)) {
    if (query.country && *query.country != call.principal->country) {
      return Problem(403, "this key may only list needs of " + call.principal->country, {{"", "country", "not this key's country"}});
    }
    query.country = call.principal->country;
  }
  store::NeedPage page = store_.ListNeeds(query);
  Json items = Json::array();
  for (const store::NeedRow& row : page.needs) items.push_back(Json::parse(row.json));
  return JsonResponse(200, {{"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}});
}

HttpResponse Service::GetNeed(const Call& call) const {
  auto found = FindNeed(store_, call);
  if (auto* problem = std::get_if<HttpResponse>(&found)) return *problem;
  return NeedResponse(200, store_, Json::parse(std::get<store::NeedRow>(found).json));
}

HttpResponse Service::PostNeed(const Call& call) const {
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  if (!body.is_object()) return Problem(422, "the need is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  if (body.contains("status") && body["status"] != "submitted") {
    errors.push_back({FieldPath().Key("status"), "a new need is \"submitted\"; later moves go through PATCH"});
  }
  if (body.contains("selected")) errors.push_back({FieldPath().Key("selected"), "record decisions with POST /v1/needs/{id}/decision"});
  if (!body.contains("id")) body["id"] = "n-" + internal::Today().substr(0, 4) + "-" + internal::NewRequestId().substr(0, 8);
  if (!body.contains("submitted_at")) body["submitted_at"] = internal::NowRfc3339();
  body["status"] = "submitted";
  // An embassy learns nothing about needs it may not submit, not even what is wrong with them.
  if (IsEmbassy(call) && body.contains("country") && body["country"] != call.principal->country) {
    return Problem(403, "this key may only submit needs for " + call.principal->country, {{"/country", "", "not this key's country"}});
  }
  if (body["id"].is_string() && !internal::IsValidId(body["id"].get<std::string>())) {
    errors.push_back({FieldPath().Key("id"), "ids are 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"});
  }
  auto snap = snapshot();
  std::optional<matcher::Need> need = datasets::DecodeNeed(body, FieldPath(), snap->references(), &errors);
  if (!need || !errors.empty()) return Problem(422, "the need is invalid", errors);
  if (!store_.InsertNeed(store_rows::NeedRowFor(*need))) {
    return Problem(409, "a need with id \"" + need->id + "\" exists already", {{"/id", "", "choose another id or omit it"}});
  }
  RequestRefresh();
  HttpResponse response = NeedResponse(201, store_, datasets::Encode(*need));
  response.headers["Location"] = "/v1/needs/" + need->id;
  return response;
}

HttpResponse Service::PatchNeed(const Call& call) const {
  auto found = FindNeed(store_, call);
  if (auto* problem = std::get_if<HttpResponse>(&found)) return *problem;
  const store::NeedRow& row = std::get<store::NeedRow>(found);
  Json patch;
  if (auto problem = internal::ParseJsonBody(call.request, &patch)) return *problem;
  if (!patch.is_object()) return Problem(422, "the patch is invalid", {{"", "", "expected a JSON object"}});

  Json current = Json::parse(row.json);
  NeedStatus from = *datasets::StatusFromName(current.value("status", "submitted"));
  datasets::FieldErrors errors;
  static const std::set<std::string> kEditable = {"description", "themes", "languages", "period", "experts_needed",
                                                  "excluded", "partner"};
  static const std::set<std::string> kFixed = {"id", "country", "submitted_at"};
  Json merged = current;
  bool edits_content = false;
  for (const auto& [key, value] : patch.items()) {
    if (key == "status") continue;
    if (kFixed.count(key)) {
      errors.push_back({FieldPath().Key(key), "cannot be changed"});
    } else if (key == "selected") {
      errors.push_back({FieldPath().Key(key), "record decisions with POST /v1/needs/{id}/decision"});
    } else if (!kEditable.count(key)) {
      errors.push_back({FieldPath().Key(key), "unknown field"});
    } else {
      merged[key] = value;
      edits_content = true;
    }
  }
  std::optional<NeedStatus> to;
  if (patch.contains("status")) {
    const Json& status = patch["status"];
    if (!status.is_string() || !datasets::StatusFromName(status.get<std::string>())) {
      errors.push_back({FieldPath().Key("status"), "unknown status"});
    } else {
      to = datasets::StatusFromName(status.get<std::string>());
    }
  }
  if (!errors.empty()) return Problem(422, "the patch is invalid", errors);
  if (edits_content && from != NeedStatus::kSubmitted && from != NeedStatus::kShortlisted) {
    return Problem(409, "a need can only be edited while submitted or shortlisted; it is " + std::string(datasets::StatusName(from)),
                   {{"/status", "", "current status " + std::string(datasets::StatusName(from))}});
  }
  if (to && *to != from) {
    if (!matcher::CanMove(from, *to)) {
      return Problem(409,
                     "a need cannot move from " + std::string(datasets::StatusName(from)) + " to " +
                         std::string(datasets::StatusName(*to)) + "; allowed: " + Moves(from),
                     {{"/status", "", "allowed moves from " + std::string(datasets::StatusName(from)) + ": " + Moves(from)}});
    }
    if (*to == NeedStatus::kAssigned && merged.value("selected", "").empty()) {
      return Problem(409, "record a decision (POST /v1/needs/{id}/decision) before assigning",
                     {{"/status", "", "no authority selected"}});
    }
    if (from == NeedStatus::kAssigned && *to == NeedStatus::kShortlisted) merged.erase("selected");
    merged["status"] = datasets::StatusName(*to);
  }
  std::optional<matcher::Need> need = datasets::DecodeNeed(merged, FieldPath(), snapshot()->references(), &errors);
  if (!need) return Problem(422, "the patched need is invalid", errors);
  if (!store_.UpdateNeed(store_rows::NeedRowFor(*need), row.json)) {
    return Problem(409, "the need was changed by another request meanwhile; read it again and retry");
  }
  RequestRefresh();
  return NeedResponse(200, store_, datasets::Encode(*need));
}

HttpResponse Service::PostDecision(const Call& call) const {
  auto found = FindNeed(store_, call);
  if (auto* problem = std::get_if<HttpResponse>(&found)) return *problem;
  const store::NeedRow& row = std::get<store::NeedRow>(found);
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  if (!body.is_object()) return Problem(422, "the decision is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  for (const auto& [key, value] : body.items()) {
    if (key != "collectivite" && key != "note") errors.push_back({FieldPath().Key(key), "unknown field"});
  }
  std::string collectivite, note;
  if (!body.contains("collectivite") || !body["collectivite"].is_string() || body["collectivite"].get<std::string>().empty()) {
    errors.push_back({FieldPath().Key("collectivite"), "required: the id of the selected collectivité"});
  } else {
    collectivite = body["collectivite"].get<std::string>();
    if (!snapshot()->collectivite_ids.count(collectivite) && !store_.GetCollectivite(collectivite)) {
      errors.push_back({FieldPath().Key("collectivite"), "unknown collectivite \"" + collectivite + "\""});
    }
  }
  if (body.contains("note")) {
    if (!body["note"].is_string()) {
      errors.push_back({FieldPath().Key("note"), "expected a string"});
    } else {
      note = body["note"].get<std::string>();
    }
  }
  if (!errors.empty()) return Problem(422, "the decision is invalid", errors);

  Json need = Json::parse(row.json);
  NeedStatus from = *datasets::StatusFromName(need.value("status", "submitted"));
  if (from != NeedStatus::kSubmitted && from != NeedStatus::kShortlisted && from != NeedStatus::kAssigned) {
    return Problem(409, "a decision can be recorded while the need is submitted, shortlisted or assigned; it is " +
                            std::string(datasets::StatusName(from)),
                   {{"/collectivite", "", "the need is " + std::string(datasets::StatusName(from))}});
  }
  const Json excluded = need.value("excluded", Json::array());
  if (std::find(excluded.begin(), excluded.end(), collectivite) != excluded.end()) {
    return Problem(422, "the decision is invalid", {{"/collectivite", "", "a conflict of interest is declared for this collectivité"}});
  }
  need["selected"] = collectivite;
  need["status"] = "assigned";
  std::optional<matcher::Need> decoded = datasets::DecodeNeed(need, FieldPath(), datasets::References{}, &errors);
  if (!decoded) return Problem(422, "the decision is invalid", errors);
  store::DecisionRow decision{decoded->id, collectivite, internal::NowRfc3339(), call.principal ? call.principal->key_id : "", note};
  if (!store_.UpdateNeed(store_rows::NeedRowFor(*decoded), row.json, decision)) {
    return Problem(409, "the need was changed by another request meanwhile; read it again and retry");
  }
  RequestRefresh();
  return NeedResponse(200, store_, datasets::Encode(*decoded));
}

HttpResponse Service::PutMission(const Call& call) const {
  auto found = FindNeed(store_, call);
  if (auto* problem = std::get_if<HttpResponse>(&found)) return *problem;
  const store::NeedRow& row = std::get<store::NeedRow>(found);
  Json body;
  if (auto problem = internal::ParseJsonBody(call.request, &body)) return *problem;
  if (!body.is_object()) return Problem(422, "the mission is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  for (const auto& [key, value] : body.items()) {
    if (key != "start" && key != "end" && key != "report_delivered" && key != "rating") {
      errors.push_back({FieldPath().Key(key), "unknown field"});
    }
  }
  Json need = Json::parse(row.json);
  NeedStatus from = *datasets::StatusFromName(need.value("status", "submitted"));
  if (need.value("selected", "").empty() || from == NeedStatus::kSubmitted || from == NeedStatus::kShortlisted ||
      from == NeedStatus::kCancelled) {
    return Problem(409, "record a decision before the mission; the need is " + std::string(datasets::StatusName(from)),
                   {{"", "id", "no authority assigned"}});
  }
  Json themes = Json::array();
  for (const Json& theme : need["themes"]) themes.push_back(theme["theme"]);
  Json mission{{"id", "m-" + row.id},
               {"need", row.id},
               {"collectivite", need["selected"]},
               {"country", need["country"]},
               {"themes", themes},
               {"start", body.value("start", Json())},
               {"end", body.value("end", Json())},
               {"report_delivered", body.value("report_delivered", Json())},
               {"rating", body.value("rating", Json())}};
  std::optional<matcher::Mission> decoded = datasets::DecodeMission(mission, FieldPath(), datasets::References{}, &errors);
  if (!decoded || !errors.empty()) return Problem(422, "the mission is invalid", errors);

  if (from == NeedStatus::kAssigned) need["status"] = "in_mission";
  if (decoded->report_delivered && (from == NeedStatus::kInMission || from == NeedStatus::kReportDue)) need["status"] = "closed";
  std::optional<matcher::Need> updated = datasets::DecodeNeed(need, FieldPath(), datasets::References{}, &errors);
  if (!updated) return Problem(422, "the mission is invalid", errors);
  store::SeedDocuments docs;
  docs.missions.push_back(store_rows::MissionRowFor(*decoded));
  docs.needs.push_back(store_rows::NeedRowFor(*updated));
  store_.Import(docs);
  RequestRefresh();
  return JsonResponse(200, {{"need", datasets::Encode(*updated)}, {"mission", datasets::Encode(*decoded)}});
}

HttpResponse Service::GetOverdueReports(const Call&) const {
  const auto today = *matcher::ParseIsoDate(internal::Today());
  auto snap = snapshot();
  Json items = Json::array();
  struct Overdue {
    matcher::Date due;
    Json item;
  };
  std::vector<Overdue> overdue;
  for (const store::Document& doc : store_.Missions()) {
    datasets::FieldErrors errors;
    std::optional<matcher::Mission> m = datasets::DecodeMission(Json::parse(doc.json), FieldPath(), {}, &errors);
    if (!m || m->report_delivered) continue;
    matcher::Date due = m->end.AddMonths(2);
    if (!(due < today)) continue;
    int c = snap->catalogue.FindCollectivite(m->collectivite);
    overdue.push_back({due,
                       {{"mission", m->id},
                        {"need", m->need.empty() ? Json(nullptr) : Json(m->need)},
                        {"collectivite", m->collectivite},
                        {"collectivite_name", c >= 0 ? snap->catalogue.collectivites()[static_cast<size_t>(c)].name : ""},
                        {"country", m->country},
                        {"end", matcher::FormatIsoDate(m->end)},
                        {"report_due", matcher::FormatIsoDate(due)},
                        {"days_overdue", today.days - due.days}}});
  }
  std::stable_sort(overdue.begin(), overdue.end(), [](const Overdue& a, const Overdue& b) { return a.due < b.due; });
  for (Overdue& o : overdue) items.push_back(std::move(o.item));
  return JsonResponse(200, {{"items", items}, {"total", items.size()}});
}

}  // namespace expectmatch::api
