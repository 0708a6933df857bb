#include "expectmatch/service/needs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/matcher/lifecycle.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/proposals.h"
#include "expectmatch/service/understanding.h"
#include "expectmatch/store_rows/store_rows.h"
#include "expectmatch/understanding/fold.h"
#include "query.h"

namespace expectmatch::service {
namespace {

using datasets::FieldPath;
using datasets::Json;
using matcher::NeedStatus;

std::string Moves(NeedStatus from) {
  std::string out;
  for (NeedStatus to : matcher::AllowedMoves(from))
    out += (out.empty() ? "" : ", ") + std::string(datasets::StatusName(to));
  return out.empty() ? "none (final state)" : out;
}

std::string StatusText(NeedStatus status) { return std::string(datasets::StatusName(status)); }

bool ValidDate(const std::string& text) { return matcher::ParseIsoDate(text).has_value(); }

// From this share of common words (Jaccard index of the descriptions' folded words of four
// letters or more) two needs of the same partner and period are shown as possible duplicates:
// a need resubmitted with a few words changed scores above 0.8, two different requests of one
// town rarely above 0.2.
constexpr double kDuplicateSimilarity = 0.35;
// What a submission compares, to keep its cost bounded whatever the store holds: the most
// recent open needs of the country and period, on the first bytes of their descriptions (a
// resubmitted need shows in its opening).
constexpr size_t kDuplicateCandidates = 100;
constexpr size_t kComparedBytes = 2000;

std::set<std::string> ContentWords(const std::string& text) {
  std::set<std::string> words;
  for (std::string& word : understanding::FoldedWords(text)) {
    if (word.size() >= 4) words.insert(std::move(word));
  }
  return words;
}

double TextSimilarity(const std::string& a, const std::string& b) {
  const std::set<std::string> x = ContentWords(a.substr(0, kComparedBytes)),
                              y = ContentWords(b.substr(0, kComparedBytes));
  if (x.empty() && y.empty()) return 1.0;
  size_t common = 0;
  for (const std::string& word : x) common += y.count(word);
  return static_cast<double>(common) / static_cast<double>(x.size() + y.size() - common);
}

// Ids of the form "<country code in lower case>-..." belong to that country's needs: an
// embassy's submissions are given (or must bring) its own prefix, and no one may submit such an
// id for another country, so an embassy's id never collides with another country's need.
std::string IdPrefixOf(const std::string& country) {
  std::string prefix;
  for (char c : country) prefix += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prefix + "-";
}
std::optional<std::string> CountryOfId(const std::string& id) {
  if (id.size() < 4 || id[2] != '-' || !std::islower(static_cast<unsigned char>(id[0])) ||
      !std::islower(static_cast<unsigned char>(id[1]))) {
    return std::nullopt;
  }
  std::string country{static_cast<char>(std::toupper(static_cast<unsigned char>(id[0]))),
                      static_cast<char>(std::toupper(static_cast<unsigned char>(id[1])))};
  if (!datasets::FindCountry(country)) return std::nullopt;
  return country;
}

Status Concurrent() {
  return Status::Conflict(
      "the need was changed by another request meanwhile; read it again and retry");
}

}  // namespace

std::optional<store::NeedUpdate> ApplyDecision(const std::string& expected,
                                               const std::string& collectivite,
                                               store::DecisionRow decision,
                                               datasets::FieldErrors* errors) {
  Json need = Json::parse(expected);
  need["selected"] = collectivite;
  need["status"] = "assigned";
  std::optional<matcher::Need> decoded =
      datasets::DecodeNeed(need, FieldPath(), datasets::References{}, errors);
  if (!decoded) return std::nullopt;
  decision.need = decoded->id;
  decision.collectivite = collectivite;
  store::NeedUpdate update;
  update.row = store_rows::NeedRowFor(*decoded);
  update.expected = expected;
  update.decision = std::move(decision);
  return update;
}

Status Needs::Find(const Principal* caller, const std::string& id, store::NeedRow* out) const {
  std::optional<store::NeedRow> row = store_.GetNeed(id);
  // Another country's need is answered as an unknown one, word for word: no existence oracle.
  // An authority sees the needs assigned to it (its missions) and no other.
  const bool visible = !caller || (caller->role == Role::kCollectivite
                                       ? row && !row->selected.empty() &&
                                             row->selected == caller->collectivite
                                       : row && caller->MayActFor(row->country));
  if (!row || !visible)
    return Status::NotFound("unknown need \"" + id + "\"", {{"", "id", "no need with this id"}});
  *out = std::move(*row);
  return Status::Ok();
}

Json Needs::View(const Json& need) const {
  Json body = need;
  Json decisions = Json::array();
  for (const store::DecisionRow& d : store_.Decisions(need.value("id", ""))) {
    decisions.push_back({{"collectivite", d.collectivite},
                         {"decided_at", d.decided_at},
                         {"decided_by", d.decided_by},
                         {"note", d.note}});
  }
  body["decisions"] = std::move(decisions);
  // Its proposals to authorities and their answers, oldest first: the need's history.
  Json proposals = Json::array();
  store::ProposalQuery of_need;
  of_need.need = need.value("id", "");
  of_need.limit = 200;
  std::vector<store::ProposalRow> rows = store_.ListProposals(of_need).items;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    proposals.push_back({{"id", it->id},
                         {"collectivite", it->collectivite},
                         {"status", it->status},
                         {"respond_by", it->respond_by},
                         {"created_at", it->created_at},
                         {"answered_at", it->answered_at.empty() ? Json(nullptr)
                                                                 : Json(it->answered_at)},
                         {"reason", it->reason.empty() ? Json(nullptr) : Json(it->reason)}});
  }
  body["proposals"] = std::move(proposals);
  // What the service understood of what the embassy typed: the partner it recognised and the
  // themes the description suggests (DAECT confirms them by PATCH).
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  datasets::FieldErrors ignored;
  if (std::optional<matcher::Need> decoded =
          datasets::DecodeNeed(need, FieldPath(), datasets::References{}, &ignored)) {
    body["partner_resolved"] = ResolvedPartnerJson(RecognisePartner(*snapshot, &*decoded));
    body["suggested_themes"] = NeedSuggestedThemesJson(*snapshot, decoded->description);
  }
  // The mission of the authority selected now, when one is recorded (the last one).
  const std::string selected = need.value("selected", "");
  for (const store::Document& doc : store_.MissionsOfNeed(need.value("id", ""))) {
    Json mission = Json::parse(doc.json);
    if (!selected.empty() && mission.value("collectivite", "") == selected)
      body["mission"] = std::move(mission);
  }
  return body;
}

Status Needs::List(const Principal* caller, const QueryParameters& parameters,
                   Json* page_out) const {
  store::NeedQuery query;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "status") {
      if (!datasets::StatusFromName(value))
        errors.push_back({"", name, "unknown status \"" + value + "\""});
      query.status = value;
    } else if (name == "country") {
      if (!datasets::FindCountry(value))
        errors.push_back(
            {"", name, "unknown country \"" + value + "\", expected ISO 3166-1 alpha-2"});
      query.country = value;
    } else if (name == "theme") {
      if (!snapshots_.current()->theme_ids.count(value))
        errors.push_back({"", name, "unknown theme \"" + value + "\""});
      query.theme = value;
    } else if (name == "period_from" || name == "period_to") {
      if (!ValidDate(value))
        errors.push_back({"", name, "invalid date \"" + value + "\", expected YYYY-MM-DD"});
      (name == "period_from" ? query.period_from : query.period_to) = value;
    } else if (ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  if (caller && caller->role == Role::kEmbassy) {
    if (query.country && !caller->MayActFor(*query.country)) {
      return Status::Forbidden("this key may only list needs of " + caller->country,
                               {{"", "country", "not this key's country"}});
    }
    query.country = caller->country;
  }
  store::NeedPage page = store_.ListNeeds(query);
  Json items = Json::array();
  for (const store::NeedRow& row : page.needs) items.push_back(Json::parse(row.json));
  *page_out = {
      {"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}};
  return Status::Ok();
}

Status Needs::Get(const Principal* caller, const std::string& id, Json* need) const {
  store::NeedRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  *need = View(Json::parse(row.json));
  return Status::Ok();
}

Status Needs::Submit(const Principal* caller, Json body, Json* out) const {
  if (!body.is_object())
    return Status::InvalidArgument("the need is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  if (body.contains("status") && body["status"] != "submitted") {
    errors.push_back(
        {FieldPath().Key("status"), "a new need is \"submitted\"; later moves go through PATCH"});
  }
  if (body.contains("selected"))
    errors.push_back(
        {FieldPath().Key("selected"), "record decisions with POST /v1/needs/{id}/decision"});
  const bool embassy = caller && caller->role == Role::kEmbassy;
  if (!body.contains("id")) {
    body["id"] = (embassy ? IdPrefixOf(caller->country) : "n-") + Today().substr(0, 4) + "-" +
                 NewRequestId().substr(0, 8);
  }
  if (!body.contains("submitted_at")) body["submitted_at"] = NowRfc3339();
  body["status"] = "submitted";
  // An embassy learns nothing about needs it may not submit, not even what is wrong with them.
  if (caller && body.contains("country") &&
      !(body["country"].is_string() ? caller->MayActFor(body["country"].get<std::string>())
                                    : caller->role != Role::kEmbassy)) {
    return Status::Forbidden("this key may only submit needs for " + caller->country,
                             {{"/country", "", "not this key's country"}});
  }
  if (body["id"].is_string() && !IsValidId(body["id"].get<std::string>())) {
    errors.push_back(
        {FieldPath().Key("id"),
         "ids are 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"});
  } else if (body["id"].is_string() && body.contains("country") && body["country"].is_string()) {
    const std::string id = body["id"].get<std::string>(), country = body["country"];
    if (embassy && id.rfind(IdPrefixOf(country), 0) != 0) {
      errors.push_back(
          {FieldPath().Key("id"), "the ids of needs submitted by an embassy start with \"" +
                                      IdPrefixOf(country) + "\"; or omit it"});
    } else if (std::optional<std::string> owner = CountryOfId(id); owner && *owner != country) {
      errors.push_back({FieldPath().Key("id"), "ids starting with \"" + IdPrefixOf(*owner) +
                                                   "\" are those of needs of " + *owner});
    }
  }
  std::optional<matcher::Need> need =
      datasets::DecodeNeed(body, FieldPath(), snapshots_.current()->references(), &errors);
  if (!need || !errors.empty()) return Status::InvalidArgument("the need is invalid", errors);
  if (!store_.InsertNeed(store_rows::NeedRowFor(*need))) {
    return Status::Conflict("a need with id \"" + need->id + "\" exists already",
                            {{"/id", "", "choose another id or omit it"}});
  }
  snapshots_.RequestRefresh();
  *out = View(datasets::Encode(*need));
  (*out)["possible_duplicates"] = PossibleDuplicates(*need);
  return Status::Ok();
}

Json Needs::PossibleDuplicates(const matcher::Need& need) const {
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  matcher::Need recognised = need;
  RecognisePartner(*snapshot, &recognised);
  store::NeedQuery query;
  query.country = need.country;
  query.period_from = matcher::FormatIsoDate(need.period.start);
  query.period_to = matcher::FormatIsoDate(need.period.end);
  query.limit = kDuplicateCandidates;
  Json out = Json::array();
  for (const store::NeedRow& row : store_.ListNeeds(query).needs) {
    if (row.id == need.id) continue;
    datasets::FieldErrors ignored;
    std::optional<matcher::Need> other = datasets::DecodeNeed(
        ParseStoredDocument(row.json, "needs " + row.id), FieldPath(), {}, &ignored);
    if (!other || other->status == NeedStatus::kClosed || other->status == NeedStatus::kCancelled) {
      continue;
    }
    RecognisePartner(*snapshot, &*other);
    const bool same_partner =
        !recognised.partner.id.empty()
            ? other->partner.id == recognised.partner.id
            : understanding::Fold(other->partner.name) == understanding::Fold(need.partner.name);
    if (!same_partner) continue;
    const double similarity = TextSimilarity(need.description, other->description);
    if (similarity < kDuplicateSimilarity) continue;
    out.push_back({{"id", other->id},
                   {"status", datasets::StatusName(other->status)},
                   {"similarity", std::round(similarity * 100) / 100}});
  }
  return out;
}

Status Needs::Patch(const Principal* caller, const std::string& id, const Json& patch,
                    Json* out) const {
  store::NeedRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (!patch.is_object())
    return Status::InvalidArgument("the patch is invalid", {{"", "", "expected a JSON object"}});

  Json current = Json::parse(row.json);
  NeedStatus from = *datasets::StatusFromName(current.value("status", "submitted"));
  datasets::FieldErrors errors;
  static const std::set<std::string> kEditable = {
      "description", "themes", "languages", "period", "experts_needed", "excluded", "partner"};
  static const std::set<std::string> kFixed = {"id", "country", "submitted_at"};
  Json merged = current;
  bool edits_content = false;
  for (const auto& [key, value] : patch.items()) {
    if (key == "status") continue;
    if (kFixed.count(key)) {
      errors.push_back({FieldPath().Key(key), "cannot be changed"});
    } else if (key == "selected") {
      errors.push_back(
          {FieldPath().Key(key), "record decisions with POST /v1/needs/{id}/decision"});
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
  if (!errors.empty()) return Status::InvalidArgument("the patch is invalid", errors);
  if (edits_content && from != NeedStatus::kSubmitted && from != NeedStatus::kShortlisted) {
    return Status::Conflict(
        "a need can only be edited while submitted or shortlisted; it is " + StatusText(from),
        {{"/status", "", "current status " + StatusText(from)}});
  }
  if (to && *to != from) {
    if (!matcher::CanMove(from, *to)) {
      return Status::Conflict(
          "a need cannot move from " + StatusText(from) + " to " + StatusText(*to) +
              "; allowed: " + Moves(from),
          {{"/status", "", "allowed moves from " + StatusText(from) + ": " + Moves(from)}});
    }
    // A proposal is made, answered and withdrawn through its own routes; cancelling a proposed
    // need withdraws its proposal.
    if (*to == NeedStatus::kProposed) {
      return Status::Conflict("a need is proposed with POST /v1/needs/{id}/proposals",
                              {{"/status", "", "propose the need to an authority instead"}});
    }
    if (from == NeedStatus::kProposed && *to != NeedStatus::kCancelled) {
      return Status::Conflict(
          "the need waits for an authority's answer: it accepts or declines the proposal, or DAECT "
          "withdraws it (POST /v1/proposals/{id}/withdraw)",
          {{"/status", "", "a proposal is waiting for its answer"}});
    }
    if (*to == NeedStatus::kAssigned && merged.value("selected", "").empty()) {
      return Status::Conflict("record a decision (POST /v1/needs/{id}/decision) before assigning",
                              {{"/status", "", "no authority selected"}});
    }
    if (from == NeedStatus::kAssigned && *to == NeedStatus::kShortlisted) merged.erase("selected");
    merged["status"] = datasets::StatusName(*to);
  }
  std::optional<matcher::Need> need =
      datasets::DecodeNeed(merged, FieldPath(), snapshots_.current()->references(), &errors);
  if (!need) return Status::InvalidArgument("the patched need is invalid", errors);
  store::NeedUpdate update;
  update.row = store_rows::NeedRowFor(*need);
  update.expected = row.json;
  if (from == NeedStatus::kProposed && to && *to == NeedStatus::kCancelled) {
    store::ProposalQuery waiting;
    waiting.need = row.id;
    waiting.status = "waiting";
    for (store::ProposalRow& proposal : store_.ListProposals(waiting).items) {
      proposal.status = "withdrawn";
      proposal.answered_at = NowRfc3339();
      proposal.answered_by = caller ? caller->key_id : "cli";
      proposal.reason = "besoin annulé";
      for (store::OutboxRow& mail :
           ProposalAnswerMail(*snapshots_.current(), proposal, "withdrawn"))
        update.mail.push_back(std::move(mail));
      update.proposals.push_back({std::move(proposal), "waiting"});
    }
  }
  if (!store_.ApplyNeedUpdate(update)) return Concurrent();
  snapshots_.RequestRefresh();
  *out = View(datasets::Encode(*need));
  return Status::Ok();
}

Status Needs::Decide(const Principal* caller, const std::string& id, const Json& body,
                     Json* out) const {
  store::NeedRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (!body.is_object())
    return Status::InvalidArgument("the decision is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  for (const auto& [key, value] : body.items()) {
    if (key != "collectivite" && key != "note")
      errors.push_back({FieldPath().Key(key), "unknown field"});
  }
  std::string collectivite, note;
  if (!body.contains("collectivite") || !body["collectivite"].is_string() ||
      body["collectivite"].get<std::string>().empty()) {
    errors.push_back(
        {FieldPath().Key("collectivite"), "required: the id of the selected collectivité"});
  } else {
    collectivite = body["collectivite"].get<std::string>();
    if (!snapshots_.current()->collectivite_ids.count(collectivite) &&
        !store_.GetCollectivite(collectivite)) {
      errors.push_back(
          {FieldPath().Key("collectivite"), "unknown collectivite \"" + collectivite + "\""});
    }
  }
  if (body.contains("note")) {
    if (!body["note"].is_string()) {
      errors.push_back({FieldPath().Key("note"), "expected a string"});
    } else {
      note = body["note"].get<std::string>();
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("the decision is invalid", errors);

  const Json need = Json::parse(row.json);
  NeedStatus from = *datasets::StatusFromName(need.value("status", "submitted"));
  if (from != NeedStatus::kSubmitted && from != NeedStatus::kShortlisted &&
      from != NeedStatus::kAssigned) {
    return Status::Conflict(
        "a decision can be recorded while the need is submitted, shortlisted or assigned; it is " +
            StatusText(from),
        {{"/collectivite", "", "the need is " + StatusText(from)}});
  }
  const Json excluded = need.value("excluded", Json::array());
  if (std::find(excluded.begin(), excluded.end(), collectivite) != excluded.end()) {
    return Status::InvalidArgument(
        "the decision is invalid",
        {{"/collectivite", "", "a conflict of interest is declared for this collectivité"}});
  }
  std::optional<store::NeedUpdate> update = ApplyDecision(
      row.json, collectivite, {"", "", NowRfc3339(), caller ? caller->key_id : "", note}, &errors);
  if (!update) return Status::InvalidArgument("the decision is invalid", errors);
  if (!store_.UpdateNeed(update->row, update->expected, update->decision)) return Concurrent();
  // DAECT confirmed the partner by deciding: a typed spelling becomes one of its aliases.
  datasets::FieldErrors ignored;
  if (std::optional<matcher::Need> decided =
          datasets::DecodeNeed(need, FieldPath(), datasets::References{}, &ignored)) {
    LearnPartnerAlias(store_, *snapshots_.current(), *decided, caller ? caller->key_id : "cli");
  }
  snapshots_.RequestRefresh();
  *out = View(Json::parse(update->row.json));
  return Status::Ok();
}

Status Needs::RecordMission(const Principal* caller, const std::string& id, const Json& body,
                            Json* out) const {
  store::NeedRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (!body.is_object())
    return Status::InvalidArgument("the mission is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  for (const auto& [key, value] : body.items()) {
    if (key != "start" && key != "end" && key != "report_delivered" && key != "rating" &&
        key != "experts") {
      errors.push_back({FieldPath().Key(key), "unknown field"});
    }
  }
  // The authority records its experts and the mission's dates; the delivery and the rating are
  // DAECT's.
  if (caller && caller->role == Role::kCollectivite) {
    for (const char* key : {"report_delivered", "rating"}) {
      if (body.contains(key))
        return Status::Forbidden(std::string("the ") + key + " is recorded by DAECT",
                                 {{std::string("/") + key, "", "recorded by DAECT"}});
    }
  }
  Json need = Json::parse(row.json);
  NeedStatus from = *datasets::StatusFromName(need.value("status", "submitted"));
  if (need.value("selected", "").empty() || from == NeedStatus::kSubmitted ||
      from == NeedStatus::kShortlisted || from == NeedStatus::kCancelled) {
    return Status::Conflict("record a decision before the mission; the need is " + StatusText(from),
                            {{"", "id", "no authority assigned"}});
  }
  Json themes = Json::array();
  for (const Json& theme : need["themes"]) themes.push_back(theme["theme"]);
  // Fields left out keep what was recorded (the authority and DAECT each write their own).
  Json recorded = Json::object();
  for (const store::Document& doc : store_.MissionsOfNeed(row.id)) {
    Json mission = Json::parse(doc.json);
    if (mission.value("collectivite", "") == need.value("selected", "")) recorded = mission;
  }
  auto field = [&](const char* key) {
    return body.contains(key) ? body[key] : recorded.value(key, Json());
  };
  Json mission{{"id", "m-" + row.id},
               {"need", row.id},
               {"collectivite", need["selected"]},
               {"country", need["country"]},
               {"themes", themes},
               {"start", field("start")},
               {"end", field("end")},
               {"report_delivered", field("report_delivered")},
               {"rating", field("rating")}};
  if (!field("experts").is_null()) mission["experts"] = field("experts");
  std::optional<matcher::Mission> decoded =
      datasets::DecodeMission(mission, FieldPath(), datasets::References{}, &errors);
  if (!decoded || !errors.empty()) return Status::InvalidArgument("the mission is invalid", errors);

  if (from == NeedStatus::kAssigned) need["status"] = "in_mission";
  if (decoded->report_delivered &&
      (from == NeedStatus::kInMission || from == NeedStatus::kReportDue))
    need["status"] = "closed";
  std::optional<matcher::Need> updated =
      datasets::DecodeNeed(need, FieldPath(), datasets::References{}, &errors);
  if (!updated) return Status::InvalidArgument("the mission is invalid", errors);
  store::SeedDocuments docs;
  docs.missions.push_back(store_rows::MissionRowFor(*decoded));
  docs.needs.push_back(store_rows::NeedRowFor(*updated));
  store_.Import(docs);
  snapshots_.RequestRefresh();
  *out = {{"need", datasets::Encode(*updated)}, {"mission", datasets::Encode(*decoded)}};
  return Status::Ok();
}

Status Needs::Missions(const Principal* caller, const QueryParameters& parameters,
                       Json* out) const {
  store::NeedQuery query;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "collectivite") {
      query.selected = value;
    } else if (ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  if (caller && caller->role == Role::kCollectivite) {
    if (query.selected && *query.selected != caller->collectivite) {
      return Status::Forbidden("this key may only list its authority's missions",
                               {{"", "collectivite", "not this key's authority"}});
    }
    query.selected = caller->collectivite;
  }
  if (!query.selected) {
    return Status::Malformed("name the authority whose missions to list",
                             {{"", "collectivite", "required"}});
  }
  store::NeedPage page = store_.ListNeeds(query);
  const matcher::Date today = *matcher::ParseIsoDate(Today());
  Json items = Json::array();
  for (const store::NeedRow& row : page.needs) {
    const Json need = Json::parse(row.json);
    Json mission = nullptr;
    for (const store::Document& doc : store_.MissionsOfNeed(row.id)) {
      Json recorded = Json::parse(doc.json);
      if (recorded.value("collectivite", "") == row.selected) mission = std::move(recorded);
    }
    Json due = nullptr;
    bool overdue = false;
    if (mission.is_object() && mission["end"].is_string()) {
      const matcher::Date end = *matcher::ParseIsoDate(mission["end"].get<std::string>());
      due = matcher::FormatIsoDate(end.AddMonths(2));
      overdue = mission["report_delivered"].is_null() && end.AddMonths(2) < today;
    }
    items.push_back({{"need",
                      {{"id", row.id},
                       {"country", row.country},
                       {"status", row.status},
                       {"partner", need.value("partner", Json::object())},
                       {"themes", need.value("themes", Json::array())},
                       {"period", need.value("period", Json::object())},
                       {"description", need.value("description", "")}}},
                     {"mission", mission},
                     {"report_due", due},
                     {"overdue", overdue}});
  }
  *out = {{"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}};
  return Status::Ok();
}

Json Needs::OverdueReports() const {
  const auto today = *matcher::ParseIsoDate(Today());
  auto snap = snapshots_.current();
  struct Overdue {
    matcher::Date due;
    Json item;
  };
  std::vector<Overdue> overdue;
  for (const store::Document& doc : store_.Missions()) {
    datasets::FieldErrors errors;
    std::optional<matcher::Mission> m =
        datasets::DecodeMission(Json::parse(doc.json), FieldPath(), {}, &errors);
    if (!m || m->report_delivered) continue;
    matcher::Date due = m->end.AddMonths(2);
    if (!(due < today)) continue;
    int c = snap->catalogue.FindCollectivite(m->collectivite);
    overdue.push_back(
        {due,
         {{"mission", m->id},
          {"need", m->need.empty() ? Json(nullptr) : Json(m->need)},
          {"collectivite", m->collectivite},
          {"collectivite_name",
           c >= 0 ? snap->catalogue.collectivites()[static_cast<size_t>(c)].name : ""},
          {"country", m->country},
          {"end", matcher::FormatIsoDate(m->end)},
          {"report_due", matcher::FormatIsoDate(due)},
          {"days_overdue", today.days - due.days}}});
  }
  std::stable_sort(overdue.begin(), overdue.end(),
                   [](const Overdue& a, const Overdue& b) { return a.due < b.due; });
  Json items = Json::array();
  for (Overdue& o : overdue) items.push_back(std::move(o.item));
  return {{"items", items}, {"total", items.size()}};
}

}  // namespace expectmatch::service
