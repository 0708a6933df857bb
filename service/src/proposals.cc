#include "expectmatch/service/proposals.h"

#include <algorithm>

#include "expectmatch/datasets/reference.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/understanding.h"
#include "expectmatch/store_rows/store_rows.h"
#include "query.h"

namespace expectmatch::service {
namespace {

using datasets::FieldPath;
using datasets::Json;
using matcher::NeedStatus;

constexpr size_t kMaxMessageBytes = 4000;
constexpr size_t kMaxReasonBytes = 2000;
constexpr const char* kStatuses[] = {"waiting", "accepted", "declined", "expired", "withdrawn"};

bool ValidStatus(const std::string& status) {
  return std::any_of(std::begin(kStatuses), std::end(kStatuses),
                     [&](const char* s) { return status == s; });
}

// "2027-01-15" → "15/01/2027", as French readers write dates.
std::string FrenchDate(const std::string& iso) {
  if (iso.size() != 10) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string CountryName(const std::string& code) {
  const datasets::Country* country = datasets::FindCountry(code);
  return country ? std::string(country->name_fr) : code;
}

std::string CollectiviteName(const Snapshot& snapshot, const std::string& id) {
  int c = snapshot.catalogue.FindCollectivite(id);
  return c >= 0 ? snapshot.catalogue.collectivites()[static_cast<size_t>(c)].name : id;
}

std::string ThemeLabels(const Snapshot& snapshot, const matcher::Need& need) {
  std::string out;
  for (const matcher::NeedTheme& theme : need.themes) {
    const matcher::Taxonomy& taxonomy = snapshot.catalogue.taxonomy();
    out += (out.empty() ? "" : ", ") +
           (taxonomy.Contains(theme.theme) ? taxonomy.Get(theme.theme).label : theme.theme);
  }
  return out;
}

Status UnknownProposal(const std::string& id) {
  return Status::NotFound("unknown proposal \"" + id + "\"",
                          {{"", "id", "no proposal with this id"}});
}

Status UnknownNeed(const std::string& id) {
  return Status::NotFound("unknown need \"" + id + "\"", {{"", "id", "no need with this id"}});
}

// The need of a stored row, decoded against the snapshot, with its declines and its partner
// recognised, ready to rank.
std::optional<matcher::Need> RankableNeed(store::Store& store, const Snapshot& snapshot,
                                          const store::NeedRow& row) {
  datasets::FieldErrors errors;
  std::optional<matcher::Need> need =
      datasets::DecodeNeed(ParseStoredDocument(row.json, "needs " + row.id), FieldPath(),
                           snapshot.references(), &errors);
  if (!need) return std::nullopt;
  need->declined = store.DeclinedBy(need->id);
  RecognisePartner(snapshot, &*need);
  return need;
}

store::OutboxRow Mail(const std::string& dedupe, const std::string& event,
                      const std::string& recipient, std::string subject, std::string body) {
  store::OutboxRow mail;
  mail.id = "ml-" + NewRequestId().substr(0, 20);
  mail.dedupe = dedupe;
  mail.event = event;
  mail.recipient = recipient;
  mail.subject = std::move(subject);
  mail.body = std::move(body);
  mail.created_at = NowRfc3339();
  return mail;
}

constexpr const char* kSignature =
    "\n\n-- \nDélégation pour l'action extérieure des collectivités territoriales (DAECT)\n"
    "Message envoyé par EXPE-CT Match.\n";

}  // namespace

std::vector<store::OutboxRow> ProposalAnswerMail(const Snapshot& snapshot,
                                                 const store::ProposalRow& p,
                                                 const std::string& status) {
  const std::string who = CollectiviteName(snapshot, p.collectivite);
  const std::string dedupe = "proposal:" + p.id + ":" + status;
  const std::string authority = "collectivite:" + p.collectivite;
  std::vector<store::OutboxRow> mail;
  if (status == "accepted") {
    mail.push_back(Mail(
        dedupe, "proposal_accepted", "daect", "EXPE-CT : " + who + " accepte la mission " + p.need,
        "Bonjour,\n\n" + who + " a accepté la proposition " + p.id + " pour le besoin " + p.need +
            ". Le besoin est désormais attribué à cette collectivité." + kSignature));
  } else if (status == "declined") {
    mail.push_back(Mail(dedupe, "proposal_declined", "daect",
                        "EXPE-CT : " + who + " décline la mission " + p.need,
                        "Bonjour,\n\n" + who + " a décliné la proposition " + p.id +
                            " pour le besoin " + p.need + ".\n\nMotif : " + p.reason +
                            "\n\nLe besoin revient dans la liste des besoins présélectionnés ; "
                            "cette collectivité n'apparaîtra plus parmi ses candidates." +
                            kSignature));
  } else if (status == "expired") {
    mail.push_back(Mail(dedupe, "proposal_expired", "daect",
                        "EXPE-CT : proposition " + p.id + " sans réponse",
                        "Bonjour,\n\n" + who + " n'a pas répondu à la proposition " + p.id +
                            " pour le besoin " + p.need + " avant le " + FrenchDate(p.respond_by) +
                            ". La proposition a expiré et le besoin revient dans la liste des "
                            "besoins présélectionnés." +
                            kSignature));
    mail.push_back(Mail(dedupe + ":authority", "proposal_expired", authority,
                        "EXPE-CT : la proposition de mission " + p.need + " a expiré",
                        "Bonjour,\n\nLa proposition de mission " + p.id + " (besoin " + p.need +
                            ") attendait votre réponse jusqu'au " + FrenchDate(p.respond_by) +
                            ". Elle a expiré sans réponse." + kSignature));
  } else if (status == "withdrawn") {
    mail.push_back(Mail(dedupe, "proposal_withdrawn", authority,
                        "EXPE-CT : la proposition de mission " + p.need + " est retirée",
                        "Bonjour,\n\nLa DAECT a retiré la proposition de mission " + p.id +
                            " (besoin " + p.need + ")." +
                            (p.reason.empty() ? "" : "\n\nMotif : " + p.reason) + kSignature));
  }
  return mail;
}

namespace {

// Reads an optional string member within a byte limit.
void ReadText(const Json& body, const char* key, size_t max_bytes, bool required, std::string* out,
              datasets::FieldErrors* errors) {
  if (!body.contains(key)) {
    if (required) errors->push_back({FieldPath().Key(key), "required"});
    return;
  }
  const Json& value = body[key];
  if (!value.is_string()) {
    errors->push_back({FieldPath().Key(key), "expected a string"});
    return;
  }
  *out = value.get<std::string>();
  if (required && out->find_first_not_of(" \t\r\n") == std::string::npos)
    errors->push_back({FieldPath().Key(key), "must not be empty"});
  if (out->size() > max_bytes)
    errors->push_back({FieldPath().Key(key), "at most " + std::to_string(max_bytes) + " bytes"});
}

void RejectUnknownKeys(const Json& body, std::initializer_list<const char*> known,
                       datasets::FieldErrors* errors) {
  for (const auto& item : body.items()) {
    const std::string& key = item.key();
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; }))
      errors->push_back({FieldPath().Key(key), "unknown field"});
  }
}

Status FilteredOut(const std::string& what, matcher::Filter filter) {
  return Status::InvalidArgument(
             what + " is excluded by the " + std::string(matcher::FilterName(filter)) +
                 " filter: " + std::string(matcher::FilterLabelFrench(filter)),
             {{"/collectivite", "",
               "excluded by the " + std::string(matcher::FilterName(filter)) + " filter"}})
      .With("filter", std::string(matcher::FilterName(filter)));
}

}  // namespace

StandingForNeed StandingOf(const Snapshot& snapshot, const matcher::Need& need,
                           const matcher::Profile& profile, const std::string& collectivite) {
  const matcher::Catalogue& catalogue = snapshot.catalogue;
  const auto index = static_cast<matcher::AuthorityIndex>(catalogue.FindCollectivite(collectivite));
  StandingForNeed standing;
  matcher::RankOptions options;
  options.k = catalogue.size();
  options.explain = false;
  options.list_excluded = true;
  matcher::Ranking ranking = matcher::RankNeed(catalogue, need, profile, options);
  standing.eligible = ranking.eligible;
  for (const matcher::Exclusion& exclusion : ranking.excluded) {
    if (exclusion.collectivite == index) {
      standing.filter = exclusion.filter;
      return standing;
    }
  }
  for (size_t i = 0; i < ranking.candidates.size(); ++i) {
    if (ranking.candidates[i].collectivite == index) standing.rank = i + 1;
  }
  // Reasons are written for the returned candidates only: rank again down to this one.
  options.k = standing.rank;
  options.explain = true;
  options.list_excluded = false;
  ranking = matcher::RankNeed(catalogue, need, profile, options);
  if (!ranking.candidates.empty()) standing.candidate = ranking.candidates.back();
  return standing;
}

std::string WhyJson(const Snapshot& snapshot, const StandingForNeed& standing) {
  (void)snapshot;
  Json reasons = Json::object(), contributions = Json::object();
  for (size_t f = 0; f < matcher::kFeatureCount; ++f) {
    const std::string name(matcher::FeatureName(static_cast<matcher::Feature>(f)));
    reasons[name] = standing.candidate.reasons[f];
    contributions[name] = standing.candidate.contributions[f];
  }
  return Json{{"rank", standing.rank},
              {"eligible", standing.eligible},
              {"score", standing.candidate.score},
              {"contributions", contributions},
              {"reasons", reasons}}
      .dump();
}

store::OutboxRow ProposalMadeMail(const Snapshot& snapshot, const matcher::Need& need,
                                  const store::ProposalRow& p) {
  std::string description = need.description;
  if (description.size() > 1500) description = description.substr(0, 1500) + " […]";
  std::string body =
      "Bonjour,\n\nLa DAECT vous propose une mission d'expertise dans le cadre du programme "
      "EXPE-CT.\n\nBesoin : " +
      need.id + "\nPays : " + CountryName(need.country) +
      "\nPartenaire : " + (need.partner.name.empty() ? need.partner.id : need.partner.name) +
      "\nThèmes : " + ThemeLabels(snapshot, need) + "\nPériode : du " +
      FrenchDate(matcher::FormatIsoDate(need.period.start)) + " au " +
      FrenchDate(matcher::FormatIsoDate(need.period.end)) +
      "\nExperts demandés : " + std::to_string(need.experts_needed) + "\n";
  if (!description.empty()) body += "\nDescription du besoin :\n" + description + "\n";
  if (!p.message.empty()) body += "\nMessage de la DAECT :\n" + p.message + "\n";
  body += "\nMerci d'accepter ou de décliner cette proposition (" + p.id + ") avant le " +
          FrenchDate(p.respond_by) + " dans votre espace EXPE-CT Match." + kSignature;
  return Mail("proposal:" + p.id + ":made", "proposal_made", "collectivite:" + p.collectivite,
              "EXPE-CT : proposition de mission (" + CountryName(need.country) + ", " +
                  ThemeLabels(snapshot, need) + ")",
              std::move(body));
}

Status Proposals::Propose(const Principal* caller, const std::string& need_id, const Json& body,
                          Json* out) const {
  std::optional<store::NeedRow> row = store_.GetNeed(need_id);
  if (!row || (caller && !caller->MayActFor(row->country))) return UnknownNeed(need_id);
  if (!body.is_object())
    return Status::InvalidArgument("the proposal is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  RejectUnknownKeys(body, {"collectivite", "message", "respond_by"}, &errors);
  std::string collectivite, message, respond_by;
  ReadText(body, "collectivite", 64, true, &collectivite, &errors);
  ReadText(body, "message", kMaxMessageBytes, false, &message, &errors);
  ReadText(body, "respond_by", 10, true, &respond_by, &errors);
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  if (!collectivite.empty() && snapshot->catalogue.FindCollectivite(collectivite) < 0)
    errors.push_back(
        {FieldPath().Key("collectivite"), "unknown collectivite \"" + collectivite + "\""});
  if (!respond_by.empty()) {
    if (!matcher::ParseIsoDate(respond_by)) {
      errors.push_back({FieldPath().Key("respond_by"), "expected a date YYYY-MM-DD"});
    } else if (respond_by < Today()) {
      errors.push_back({FieldPath().Key("respond_by"), "must be today or later"});
    }
  }
  if (!errors.empty()) return Status::InvalidArgument("the proposal is invalid", errors);

  Json document = ParseStoredDocument(row->json, "needs " + row->id);
  const NeedStatus from = *datasets::StatusFromName(document.value("status", "submitted"));
  if (from != NeedStatus::kSubmitted && from != NeedStatus::kShortlisted) {
    return Status::Conflict("a need is proposed while it is submitted or shortlisted; it is " +
                                std::string(datasets::StatusName(from)),
                            {{"", "id",
                              from == NeedStatus::kProposed
                                  ? "a proposal is waiting for its answer"
                                  : "the need is " + std::string(datasets::StatusName(from))}});
  }
  std::optional<matcher::Need> need = RankableNeed(store_, *snapshot, *row);
  if (!need) throw std::runtime_error("stored need " + need_id + " does not decode");
  if (need->themes.empty()) {
    return Status::InvalidArgument("the need has no themes yet; confirm them before proposing it",
                                   {{"/themes", "", "no themes"}});
  }
  matcher::Profile profile;
  if (Status found = profiles_.Resolve("default", std::nullopt, &profile); !found.ok())
    return found;
  const StandingForNeed standing = StandingOf(*snapshot, *need, profile, collectivite);
  if (standing.filter) return FilteredOut("the collectivité", *standing.filter);

  store::ProposalRow proposal;
  proposal.id = "p-" + NewRequestId().substr(0, 12);
  proposal.need = need_id;
  proposal.collectivite = collectivite;
  proposal.message = message;
  proposal.respond_by = respond_by;
  proposal.status = "waiting";
  proposal.created_at = NowRfc3339();
  proposal.created_by = caller ? caller->key_id : "cli";
  proposal.why = WhyJson(*snapshot, standing);

  document["status"] = "proposed";
  std::optional<matcher::Need> proposed =
      datasets::DecodeNeed(document, FieldPath(), datasets::References{}, &errors);
  if (!proposed) return Status::InvalidArgument("the proposal is invalid", errors);
  store::NeedUpdate update;
  update.row = store_rows::NeedRowFor(*proposed);
  update.expected = row->json;
  update.proposals.push_back({proposal, ""});
  update.mail.push_back(ProposalMadeMail(*snapshot, *need, proposal));
  if (!store_.ApplyNeedUpdate(update)) {
    return Status::Conflict(
        "the need was changed by another request meanwhile; read it again and retry");
  }
  snapshots_.RequestRefresh();
  *out = View(proposal, true);
  return Status::Ok();
}

Status Proposals::Find(const Principal* caller, const std::string& id,
                       store::ProposalRow* out) const {
  std::optional<store::ProposalRow> row = store_.GetProposal(id);
  // Another authority's proposal answers as an unknown one, word for word.
  if (!row || (caller && !caller->MaySeeCollectivite(row->collectivite)))
    return UnknownProposal(id);
  *out = std::move(*row);
  return Status::Ok();
}

Json Proposals::View(const store::ProposalRow& p, bool with_need) const {
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  Json view{{"id", p.id},
            {"need", p.need},
            {"collectivite", p.collectivite},
            {"collectivite_name", CollectiviteName(*snapshot, p.collectivite)},
            {"message", p.message},
            {"respond_by", p.respond_by},
            {"status", p.status},
            {"created_at", p.created_at},
            {"created_by", p.created_by},
            {"assignment", p.assignment.empty() ? Json(nullptr) : Json(p.assignment)},
            {"answered_at", p.answered_at.empty() ? Json(nullptr) : Json(p.answered_at)},
            {"answered_by", p.answered_by.empty() ? Json(nullptr) : Json(p.answered_by)},
            {"reason", p.reason.empty() ? Json(nullptr) : Json(p.reason)},
            {"why", p.why.empty() ? Json(nullptr) : Json::parse(p.why)}};
  if (with_need) {
    Json need = nullptr;
    if (std::optional<store::NeedRow> row = store_.GetNeed(p.need)) {
      const Json doc = ParseStoredDocument(row->json, "needs " + row->id);
      Json themes = Json::array();
      for (const Json& theme : doc.value("themes", Json::array())) {
        const std::string id = theme.value("theme", "");
        const matcher::Taxonomy& taxonomy = snapshot->catalogue.taxonomy();
        themes.push_back(
            {{"theme", id}, {"label", taxonomy.Contains(id) ? taxonomy.Get(id).label : id}});
      }
      need = {{"id", row->id},
              {"country", row->country},
              {"country_name", CountryName(row->country)},
              {"partner", doc.value("partner", Json::object())},
              {"themes", themes},
              {"period", doc.value("period", Json::object())},
              {"description", doc.value("description", "")},
              {"experts_needed", doc.value("experts_needed", 1)},
              {"languages", doc.value("languages", Json::array())},
              {"status", row->status}};
    }
    view["need_summary"] = std::move(need);
  }
  return view;
}

Status Proposals::OfNeed(const Principal* caller, const std::string& need_id, Json* out) const {
  std::optional<store::NeedRow> row = store_.GetNeed(need_id);
  if (!row || (caller && !caller->MayActFor(row->country))) return UnknownNeed(need_id);
  ExpireDue(Today());
  store::ProposalQuery query;
  query.need = need_id;
  query.limit = 200;
  store::ProposalPage page = store_.ListProposals(query);
  Json items = Json::array();
  for (const store::ProposalRow& p : page.items) items.push_back(View(p, false));
  *out = {{"items", items}, {"total", page.total}};
  return Status::Ok();
}

Status Proposals::List(const Principal* caller, const QueryParameters& parameters,
                       Json* out) const {
  store::ProposalQuery query;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "status") {
      if (!ValidStatus(value))
        errors.push_back({"", name,
                          "unknown status \"" + value +
                              "\", expected waiting, accepted, declined, expired or withdrawn"});
      query.status = value;
    } else if (name == "collectivite") {
      query.collectivite = value;
    } else if (name == "need") {
      query.need = value;
    } else if (ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  if (caller && caller->role == Role::kCollectivite) {
    if (query.collectivite && *query.collectivite != caller->collectivite) {
      return Status::Forbidden("this key may only list the proposals made to its authority",
                               {{"", "collectivite", "not this key's authority"}});
    }
    query.collectivite = caller->collectivite;
  }
  ExpireDue(Today());
  store::ProposalPage page = store_.ListProposals(query);
  Json items = Json::array();
  for (const store::ProposalRow& p : page.items) items.push_back(View(p, true));
  *out = {
      {"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}};
  return Status::Ok();
}

Status Proposals::Get(const Principal* caller, const std::string& id, Json* out) const {
  ExpireDue(Today());
  store::ProposalRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  *out = View(row, true);
  return Status::Ok();
}

Status Proposals::Close(const Principal* caller, store::ProposalRow row, const std::string& status,
                        const std::string& reason, Json* out) const {
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  std::optional<store::NeedRow> need_row = store_.GetNeed(row.need);
  if (!need_row) throw std::runtime_error("proposal " + row.id + " names an unknown need");
  const std::string now = NowRfc3339();
  const std::string by = caller ? caller->key_id : "service";
  store::NeedUpdate update;
  Json document = ParseStoredDocument(need_row->json, "needs " + need_row->id);
  // The need moves only while it waits for this answer (a cancelled need stays cancelled).
  if (document.value("status", "") == "proposed") {
    datasets::FieldErrors errors;
    if (status == "accepted") {
      std::optional<store::NeedUpdate> decided =
          ApplyDecision(need_row->json, row.collectivite,
                        {"", "", now, by, "proposition " + row.id + " acceptée"}, &errors);
      if (!decided) throw std::runtime_error("stored need " + row.need + " does not decode");
      update = std::move(*decided);
    } else {
      document["status"] = "shortlisted";
      std::optional<matcher::Need> back =
          datasets::DecodeNeed(document, FieldPath(), datasets::References{}, &errors);
      if (!back) throw std::runtime_error("stored need " + row.need + " does not decode");
      update.row = store_rows::NeedRowFor(*back);
      update.expected = need_row->json;
    }
  }
  row.status = status;
  row.answered_at = now;
  row.answered_by = by;
  row.reason = reason;
  update.proposals.push_back({row, "waiting"});
  update.mail = ProposalAnswerMail(*snapshot, row, status);
  if (!store_.ApplyNeedUpdate(update)) {
    return Status::Conflict("the proposal or its need changed meanwhile; read it again",
                            {{"", "id", "changed meanwhile"}});
  }
  snapshots_.RequestRefresh();
  if (out) *out = View(row, true);
  return Status::Ok();
}

namespace {

// Conflict for answering a proposal that no longer waits.
Status NotWaiting(const store::ProposalRow& row) {
  return Status::Conflict("the proposal is " + row.status + "; only a waiting proposal is answered",
                          {{"", "id", "the proposal is " + row.status}});
}

}  // namespace

Status Proposals::Accept(const Principal* caller, const std::string& id, const Json& body,
                         Json* out) const {
  store::ProposalRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (!body.is_null() && !body.is_object())
    return Status::InvalidArgument("the answer is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  std::string note;
  if (body.is_object()) {
    RejectUnknownKeys(body, {"note"}, &errors);
    ReadText(body, "note", kMaxReasonBytes, false, &note, &errors);
  }
  if (!errors.empty()) return Status::InvalidArgument("the answer is invalid", errors);
  if (row.status == "waiting" && row.respond_by < Today()) {
    Close(nullptr, row, "expired", "", nullptr);
    row.status = "expired";
  }
  if (row.status != "waiting") return NotWaiting(row);
  // What changed since the proposal (a label expired, the capacity was taken): the authority
  // cannot take the mission any more.
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  if (std::optional<store::NeedRow> need_row = store_.GetNeed(row.need)) {
    std::optional<matcher::Need> need = RankableNeed(store_, *snapshot, *need_row);
    matcher::Profile profile;
    if (need && snapshot->catalogue.FindCollectivite(row.collectivite) >= 0 &&
        profiles_.Resolve("default", std::nullopt, &profile).ok()) {
      if (std::optional<matcher::Filter> filter =
              StandingOf(*snapshot, *need, profile, row.collectivite).filter) {
        return Status::Conflict(
                   "the collectivité can no longer take this mission: " +
                       std::string(matcher::FilterLabelFrench(*filter)),
                   {{"", "id",
                     "excluded by the " + std::string(matcher::FilterName(*filter)) + " filter"}})
            .With("filter", std::string(matcher::FilterName(*filter)));
      }
    }
  }
  return Close(caller, row, "accepted", note, out);
}

Status Proposals::Decline(const Principal* caller, const std::string& id, const Json& body,
                          Json* out) const {
  store::ProposalRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (!body.is_object())
    return Status::InvalidArgument("the answer is invalid", {{"", "", "expected a JSON object"}});
  datasets::FieldErrors errors;
  RejectUnknownKeys(body, {"reason"}, &errors);
  std::string reason;
  ReadText(body, "reason", kMaxReasonBytes, true, &reason, &errors);
  if (!errors.empty()) return Status::InvalidArgument("the answer is invalid", errors);
  if (row.status == "waiting" && row.respond_by < Today()) {
    Close(nullptr, row, "expired", "", nullptr);
    row.status = "expired";
  }
  if (row.status != "waiting") return NotWaiting(row);
  return Close(caller, row, "declined", reason, out);
}

Status Proposals::Withdraw(const Principal* caller, const std::string& id, const Json& body,
                           Json* out) const {
  store::ProposalRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  datasets::FieldErrors errors;
  std::string reason;
  if (!body.is_null()) {
    if (!body.is_object())
      return Status::InvalidArgument("the withdrawal is invalid",
                                     {{"", "", "expected a JSON object"}});
    RejectUnknownKeys(body, {"reason"}, &errors);
    ReadText(body, "reason", kMaxReasonBytes, false, &reason, &errors);
  }
  if (!errors.empty()) return Status::InvalidArgument("the withdrawal is invalid", errors);
  if (row.status != "waiting") return NotWaiting(row);
  return Close(caller, row, "withdrawn", reason, out);
}

size_t Proposals::ExpireDue(const std::string& today) const {
  size_t expired = 0;
  for (const store::ProposalRow& row : store_.OverdueProposals(today)) {
    if (Close(nullptr, row, "expired", "", nullptr).ok()) ++expired;
  }
  return expired;
}

}  // namespace expectmatch::service
