#include "expectmatch/service/label_applications.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "document_files.h"
#include "expectmatch/datasets/official_list.h"
#include "expectmatch/matcher/date.h"
#include "expectmatch/service/clock.h"
#include "expectmatch/service/label_history.h"
#include "expectmatch/store_rows/store_rows.h"
#include "query.h"

namespace expectmatch::service {

using datasets::FieldPath;
using datasets::Json;

namespace {

constexpr const char* kReceived = "received";
constexpr const char* kUnderReview = "under_review";
constexpr const char* kApproved = "approved";
constexpr const char* kRejected = "rejected";
constexpr const char* kInformationRequested = "information_requested";
constexpr size_t kTextMaxBytes = 20000;  // a reason, a message, an action's description
constexpr size_t kTitleMaxBytes = 300;
constexpr size_t kFilenameMaxBytes = 200;

// Characters of a UTF-8 text (bytes that do not continue a character).
size_t Chars(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool Blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string Text(const Json& json, const char* key) {
  auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Index(size_t i) { return std::to_string(i); }

// "2 février 2026".
std::string FrenchDate(const std::string& iso) {
  static const char* const kMonths[] = {"janvier",   "février", "mars",     "avril",
                                        "mai",       "juin",    "juillet",  "août",
                                        "septembre", "octobre", "novembre", "décembre"};
  if (iso.size() != 10) return iso;
  const int month = std::stoi(iso.substr(5, 2));
  const int day = std::stoi(iso.substr(8, 2));
  std::string out = std::to_string(day);
  if (day == 1) out += "er";
  return out + " " + kMonths[month - 1] + " " + iso.substr(0, 4);
}

// The id of a record made from the official list: its kind's prefix and its most readable code
// (INSEE for communes, départements and régions, SIREN for EPCI), as the generator names them.
std::string OfficialRecordId(const store::OfficialRow& official) {
  if (official.kind == "commune" && !official.insee.empty()) return "com-" + official.insee;
  if (official.kind == "departement" && !official.insee.empty()) return "dep-" + official.insee;
  if (official.kind == "region" && !official.insee.empty()) return "reg-" + official.insee;
  return (official.kind == "epci" ? "epci-" : "siren-") + official.siren;
}

// What an application declares of an authority the catalogue does not hold yet.
const char* const kNewAuthorityFields[] = {"languages", "capacity_per_year", "experts",
                                           "contact_email"};

Status NotFound(const std::string& id) {
  return Status::NotFound("unknown label application \"" + id + "\"",
                          {{"", "id", "no label application with this id"}});
}

Status UnknownCollectivite(const std::string& id) {
  return Status::NotFound("unknown collectivite \"" + id + "\"",
                          {{"", "id", "no collectivité with this id"}});
}

// A required, non-blank string of at most `max` bytes at `pointer`.
void RequireText(const Json& body, const char* key, size_t max, std::vector<FieldIssue>* issues) {
  const std::string pointer = std::string("/") + key;
  if (!body.contains(key)) {
    issues->push_back({pointer, "", "required"});
  } else if (!body[key].is_string()) {
    issues->push_back({pointer, "", "expected a string"});
  } else if (Blank(body[key].get<std::string>())) {
    issues->push_back({pointer, "", "must not be empty"});
  } else if (body[key].get<std::string>().size() > max) {
    issues->push_back({pointer, "", "at most " + std::to_string(max) + " bytes"});
  }
}

// The labels of a stored collectivité document (an array, possibly empty).
Json LabelsOf(const std::string& doc_json) {
  Json doc = Json::parse(doc_json);
  auto it = doc.find("labels");
  return it != doc.end() && it->is_array() ? *it : Json::array();
}

}  // namespace

LabelApplications::LabelApplications(store::Store& store, const LiveSnapshot& snapshots,
                                     std::filesystem::path documents_dir, int validity_years)
    : store_(store),
      snapshots_(snapshots),
      dir_(std::move(documents_dir)),
      validity_years_(validity_years) {
  if (!dir_.empty()) std::filesystem::create_directories(dir_ / "tmp");
}

Status LabelApplications::Find(const Principal* caller, const std::string& id,
                               store::LabelApplicationRow* out) const {
  std::optional<store::LabelApplicationRow> row = store_.GetLabelApplication(id);
  // Another authority's application answers as an unknown one, word for word.
  if (!row || (caller && !caller->MaySeeCollectivite(row->collectivite))) return NotFound(id);
  *out = std::move(*row);
  return Status::Ok();
}

Json LabelApplications::View(const store::LabelApplicationRow& row) const {
  Json out = Json::parse(row.json);
  std::string name;
  if (std::optional<store::Document> c = store_.GetCollectivite(row.collectivite))
    name = Text(Json::parse(c->json), "name");
  Json documents = Json::array();
  for (const store::ApplicationDocumentRow& d : store_.ApplicationDocuments(row.id)) {
    documents.push_back({{"sha256", d.sha256},
                         {"content_type", d.content_type},
                         {"bytes", d.bytes},
                         {"filename", d.filename},
                         {"uploaded_at", d.uploaded_at}});
  }
  // In the contract's order.
  return Json{{"id", row.id},
              {"collectivite", row.collectivite},
              {"collectivite_name", name},
              {"themes", out["themes"]},
              {"evidence", out["evidence"]},
              {"cooperations", out["cooperations"]},
              {"territorial_actions", out["territorial_actions"]},
              {"renews", out["renews"]},
              {"status", row.status},
              {"documents", documents},
              {"events", out["events"]},
              {"labels", out["labels"]},
              {"created_at", row.created_at},
              {"created_by", row.created_by},
              {"updated_at", row.updated_at}};
}

Status LabelApplications::Create(const Principal* caller, const Json& body, Json* out) const {
  if (!body.is_object())
    return Status::InvalidArgument("the application is invalid",
                                   {{"", "", "expected a JSON object"}});
  static const std::set<std::string> kFields = {
      "collectivite",        "themes",  "evidence",     "cooperations",
      "territorial_actions", "renews",  "siren",        "languages",
      "capacity_per_year",   "experts", "contact_email"};
  std::vector<FieldIssue> issues;
  for (const auto& [key, value] : body.items()) {
    if (!kFields.count(key)) issues.push_back({"/" + key, "", "unknown field"});
  }
  // Whose application: a collectivité key applies for itself only, whether the other authority
  // exists or not (the same refusal either way).
  std::string collectivite;
  const bool applicant = caller && caller->role == Role::kCollectivite;
  if (body.contains("collectivite") && !body["collectivite"].is_string()) {
    issues.push_back({"/collectivite", "", "expected a collectivité id"});
  } else if (body.contains("collectivite")) {
    collectivite = body["collectivite"].get<std::string>();
  }
  if (applicant) {
    if (!collectivite.empty() && collectivite != caller->collectivite) {
      return Status::Forbidden("a collectivité applies for its own labels only",
                               {{"/collectivite", "", "must be the key's own collectivité"}});
    }
    collectivite = caller->collectivite;
  } else if (!body.contains("collectivite") && !body.contains("siren")) {
    issues.push_back({"/collectivite", "", "required (or the authority's siren)"});
  } else if (body.contains("collectivite") && body["collectivite"].is_string() &&
             collectivite.empty()) {
    issues.push_back({"/collectivite", "", "must not be empty"});
  }
  // DAECT may name the authority by its SIREN instead: its record when the catalogue holds one,
  // else a new record drawn from the official list (name, kind, région, population, codes) with
  // what the application declares of it (languages, capacity, experts), written with the
  // application.
  std::optional<matcher::Collectivite> created;
  if (body.contains("siren")) {
    const Json& siren = body["siren"];
    if (applicant) {
      issues.push_back({"/siren", "", "a collectivité's key applies for its own record only"});
    } else if (body.contains("collectivite")) {
      issues.push_back({"/siren", "", "give either collectivite or siren, not both"});
    } else if (!siren.is_string() || !datasets::IsValidSiren(siren.get<std::string>())) {
      issues.push_back({"/siren", "", "expected a SIREN: 9 digits with a valid check digit"});
    } else if (std::optional<store::Document> existing =
                   store_.FindCollectiviteBySiren(siren.get<std::string>())) {
      collectivite = existing->id;
    } else if (std::optional<store::OfficialRow> official =
                   store_.FindOfficialBySiren(siren.get<std::string>())) {
      Json doc{{"id", OfficialRecordId(*official)},
               {"name", official->name},
               {"kind", official->kind},
               {"region", official->region},
               {"siren", official->siren},
               {"labels", Json::array()}};
      if (!official->insee.empty()) doc["insee"] = official->insee;
      if (official->population) doc["population"] = *official->population;
      for (const char* field : kNewAuthorityFields) {
        if (body.contains(field)) doc[field] = body[field];
      }
      if (!doc.contains("experts")) doc["experts"] = 0;
      if (store_.GetCollectivite(doc["id"].get<std::string>()))
        doc["id"] = "siren-" + official->siren;
      datasets::FieldErrors errors;
      created = datasets::DecodeCollectivite(doc, FieldPath(), snapshots_.current()->references(),
                                             &errors);
      for (const datasets::FieldError& error : errors)
        issues.push_back({error.path.Pointer(), "", error.message});
      if (created && errors.empty()) {
        collectivite = created->id;
      } else {
        created.reset();
      }
    } else {
      issues.push_back({"/siren", "", "not in the official list of French local authorities"});
    }
  }
  if (!created && (!body.contains("siren") || !collectivite.empty())) {
    for (const char* field : kNewAuthorityFields) {
      if (body.contains(field))
        issues.push_back({std::string("/") + field, "",
                          "only for an authority named by siren that the catalogue lacks"});
    }
  }
  std::optional<store::Document> record;
  if (!collectivite.empty() && !created) {
    record = store_.GetCollectivite(collectivite);
    if (!record)
      issues.push_back({"/collectivite", "", "unknown collectivité \"" + collectivite + "\""});
  }

  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  std::vector<std::string> themes;
  if (!body.contains("themes")) {
    issues.push_back({"/themes", "", "required"});
  } else if (!body["themes"].is_array()) {
    issues.push_back({"/themes", "", "expected an array of theme ids"});
  } else if (body["themes"].empty()) {
    issues.push_back({"/themes", "", "at least one theme"});
  } else {
    for (size_t i = 0; i < body["themes"].size(); ++i) {
      const Json& theme = body["themes"][i];
      const std::string pointer = "/themes/" + Index(i);
      if (!theme.is_string()) {
        issues.push_back({pointer, "", "expected a theme id"});
      } else if (!snapshot->theme_ids.count(theme.get<std::string>())) {
        issues.push_back({pointer, "", "unknown theme \"" + theme.get<std::string>() + "\""});
      } else if (std::find(themes.begin(), themes.end(), theme.get<std::string>()) !=
                 themes.end()) {
        issues.push_back({pointer, "", "duplicate theme \"" + theme.get<std::string>() + "\""});
      } else {
        themes.push_back(theme.get<std::string>());
      }
    }
  }

  if (!body.contains("evidence")) {
    issues.push_back({"/evidence", "", "required"});
  } else if (!body["evidence"].is_string()) {
    issues.push_back({"/evidence", "", "expected a string"});
  } else {
    const size_t chars = Chars(body["evidence"].get<std::string>());
    if (chars < kEvidenceMinChars || chars > kEvidenceMaxChars || Blank(body["evidence"]))
      issues.push_back({"/evidence", "",
                        "from " + std::to_string(kEvidenceMinChars) + " to " +
                            std::to_string(kEvidenceMaxChars) + " characters"});
  }

  // Each cooperation named must be one of the authority's stored links (country and partner,
  // by id or by name).
  Json cooperations = Json::array();
  if (body.contains("cooperations") && !body["cooperations"].is_null()) {
    if (!body["cooperations"].is_array()) {
      issues.push_back({"/cooperations", "", "expected an array"});
    } else {
      std::vector<Json> links;
      if (record) {
        for (const store::Document& doc : store_.Cooperations()) {
          Json link = Json::parse(doc.json);
          if (Text(link, "collectivite") == collectivite) links.push_back(std::move(link));
        }
      }
      for (size_t i = 0; i < body["cooperations"].size(); ++i) {
        const Json& c = body["cooperations"][i];
        const std::string pointer = "/cooperations/" + Index(i);
        if (!c.is_object() || !c.contains("country") || !c["country"].is_string() ||
            !c.contains("partner") || !c["partner"].is_string()) {
          issues.push_back({pointer, "", "expected {\"country\", \"partner\"} strings"});
          continue;
        }
        const std::string country = c["country"], partner = c["partner"];
        const bool known = std::any_of(links.begin(), links.end(), [&](const Json& link) {
          if (Text(link, "country") != country) return false;
          const Json p = link.value("partner", Json::object());
          return (!Text(p, "id").empty() && Text(p, "id") == partner) || Text(p, "name") == partner;
        });
        if (!known) {
          issues.push_back({pointer, "",
                            "not one of the collectivité's recorded cooperations (" + country +
                                ", " + partner + ")"});
          continue;
        }
        cooperations.push_back({{"country", country}, {"partner", partner}});
      }
    }
  }

  Json actions = Json::array();
  if (body.contains("territorial_actions") && !body["territorial_actions"].is_null()) {
    if (!body["territorial_actions"].is_array()) {
      issues.push_back({"/territorial_actions", "", "expected an array"});
    } else {
      for (size_t i = 0; i < body["territorial_actions"].size(); ++i) {
        const Json& a = body["territorial_actions"][i];
        const std::string pointer = "/territorial_actions/" + Index(i);
        if (!a.is_object()) {
          issues.push_back({pointer, "", "expected an object"});
          continue;
        }
        size_t before = issues.size();
        for (const auto& [key, value] : a.items()) {
          if (key != "title" && key != "year" && key != "description")
            issues.push_back({pointer + "/" + key, "", "unknown field"});
        }
        if (!a.contains("title") || !a["title"].is_string() || Blank(a["title"]))
          issues.push_back({pointer + "/title", "", "a non-empty string"});
        else if (a["title"].get<std::string>().size() > kTitleMaxBytes)
          issues.push_back(
              {pointer + "/title", "", "at most " + std::to_string(kTitleMaxBytes) + " bytes"});
        if (!a.contains("year") || !a["year"].is_number_integer() ||
            a["year"].get<long long>() < 1950 || a["year"].get<long long>() > 2100)
          issues.push_back({pointer + "/year", "", "a year from 1950 to 2100"});
        if (a.contains("description") && !a["description"].is_null() &&
            (!a["description"].is_string() ||
             a["description"].get<std::string>().size() > kTextMaxBytes))
          issues.push_back({pointer + "/description", "",
                            "a string of at most " + std::to_string(kTextMaxBytes) + " bytes"});
        if (issues.size() == before) {
          actions.push_back({{"title", a["title"]},
                             {"year", a["year"]},
                             {"description", a.value("description", Json(""))}});
        }
      }
    }
  }

  // Renewals: themes applied for whose label the authority holds now.
  Json renews;
  if (body.contains("renews") && !body["renews"].is_null()) {
    if (!body["renews"].is_array()) {
      issues.push_back({"/renews", "", "expected null or an array of theme ids"});
    } else {
      renews = Json::array();
      std::set<std::string> held;
      if (record) {
        for (const Json& label : LabelsOf(record->json)) held.insert(Text(label, "theme"));
      }
      for (size_t i = 0; i < body["renews"].size(); ++i) {
        const Json& theme = body["renews"][i];
        const std::string pointer = "/renews/" + Index(i);
        if (!theme.is_string()) {
          issues.push_back({pointer, "", "expected a theme id"});
        } else if (std::find(themes.begin(), themes.end(), theme.get<std::string>()) ==
                   themes.end()) {
          issues.push_back({pointer, "", "not one of the themes applied for"});
        } else if (record && !held.count(theme.get<std::string>())) {
          issues.push_back({pointer, "", "the collectivité holds no label on this theme"});
        } else if (std::find(renews.begin(), renews.end(), theme) != renews.end()) {
          issues.push_back({pointer, "", "duplicate theme"});
        } else {
          renews.push_back(theme);
        }
      }
    }
  }
  if (!issues.empty()) return Status::InvalidArgument("the application is invalid", issues);

  const std::string now = NowRfc3339();
  const std::string by = caller ? caller->key_id : "cli";
  store::LabelApplicationRow row;
  row.id = "app_" + NewRequestId().substr(0, 12);
  row.collectivite = collectivite;
  row.status = kReceived;
  row.created_at = row.updated_at = now;
  row.created_by = by;
  Json doc{{"themes", themes},
           {"evidence", body["evidence"]},
           {"cooperations", cooperations},
           {"territorial_actions", actions},
           {"renews", renews},
           {"events", Json::array({{{"at", now}, {"by", by}, {"status", kReceived}}})},
           {"labels", Json::array()}};
  row.json = doc.dump();
  store::SeedDocuments documents;
  if (created) documents.collectivites.push_back(store_rows::CollectiviteRowFor(*created));
  if (!store_.WriteLabelApplication({row, "", documents, {}}))
    throw std::runtime_error("label application id collision: " + row.id);
  if (created) snapshots_.Refresh();  // the new authority is listed at once
  *out = View(row);
  return Status::Ok();
}

Status LabelApplications::List(const Principal* caller, const QueryParameters& parameters,
                               Json* page_out) const {
  store::LabelApplicationQuery query;
  std::vector<FieldIssue> errors;
  static const std::set<std::string> kStatuses = {kReceived, kUnderReview, kApproved, kRejected,
                                                  kInformationRequested};
  for (const auto& [name, value] : parameters) {
    if (name == "status") {
      if (!kStatuses.count(value)) errors.push_back({"", name, "unknown status \"" + value + "\""});
      query.status = value;
    } else if (name == "collectivite") {
      query.collectivite = value;
    } else if (ParsePaging(name, value, &query.limit, &query.offset, &errors)) {
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  if (caller && caller->role == Role::kCollectivite) {
    if (query.collectivite && *query.collectivite != caller->collectivite)
      return Status::Forbidden("a collectivité lists its own applications only",
                               {{"", "collectivite", "must be the key's own collectivité"}});
    query.collectivite = caller->collectivite;
  }
  store::LabelApplicationPage page = store_.ListLabelApplications(query);
  Json items = Json::array();
  for (const store::LabelApplicationRow& row : page.items) items.push_back(View(row));
  *page_out = {
      {"items", items}, {"total", page.total}, {"limit", query.limit}, {"offset", query.offset}};
  return Status::Ok();
}

Status LabelApplications::Get(const Principal* caller, const std::string& id, Json* out) const {
  store::LabelApplicationRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  *out = View(row);
  return Status::Ok();
}

Status LabelApplications::Move(const Principal* caller, const std::string& id,
                               const std::string& from, const std::string& to, Json event,
                               const char* field, Json* out) const {
  store::LabelApplicationRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  // What the refusal names: the body's field, or the application itself (a move without body).
  auto issue = [field](const std::string& status) {
    const std::string detail = "the application's status is " + status;
    return *field ? FieldIssue{field, "", detail} : FieldIssue{"", "id", detail};
  };
  if (row.status != from) {
    return Status::Conflict("the application is " + row.status + "; only an application " + from +
                                " can become " + to,
                            {issue(row.status)})
        .With("current_status", row.status);
  }
  const std::string now = NowRfc3339();
  Json doc = Json::parse(row.json);
  event["at"] = now;
  event["by"] = caller ? caller->key_id : "cli";
  event["status"] = to;
  // Keys in a steady order: at, by, status, then the rest.
  Json ordered{{"at", event["at"]}, {"by", event["by"]}, {"status", to}};
  for (const auto& [key, value] : event.items()) {
    if (key != "at" && key != "by" && key != "status") ordered[key] = value;
  }
  doc["events"].push_back(ordered);
  row.status = to;
  row.updated_at = now;
  row.json = doc.dump();
  if (!store_.WriteLabelApplication({row, from, {}, {}})) {
    std::optional<store::LabelApplicationRow> now_row = store_.GetLabelApplication(id);
    const std::string current = now_row ? now_row->status : from;
    return Status::Conflict("the application changed meanwhile; it is now " + current,
                            {issue(current)})
        .With("current_status", current);
  }
  *out = View(row);
  return Status::Ok();
}

Status LabelApplications::Review(const Principal* caller, const std::string& id, Json* out) const {
  return Move(caller, id, kReceived, kUnderReview, Json::object(), "", out);
}

Status LabelApplications::Answer(const Principal* caller, const std::string& id, const Json& body,
                                 Json* out) const {
  store::LabelApplicationRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (!body.is_object())
    return Status::InvalidArgument("the answer is invalid", {{"", "", "expected a JSON object"}});
  std::vector<FieldIssue> issues;
  for (const auto& [key, value] : body.items()) {
    if (key != "message") issues.push_back({"/" + key, "", "unknown field"});
  }
  RequireText(body, "message", kTextMaxBytes, &issues);
  if (!issues.empty()) return Status::InvalidArgument("the answer is invalid", issues);
  return Move(caller, id, kInformationRequested, kUnderReview, {{"message", body["message"]}},
              "/message", out);
}

Status LabelApplications::Decide(const Principal* caller, const std::string& id, const Json& body,
                                 const std::string& today, Json* out) const {
  store::LabelApplicationRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  if (row.status != kUnderReview) {
    return Status::Conflict("the application is " + row.status +
                                "; only an application under review can be decided",
                            {{"/decision", "", "the application's status is " + row.status}})
        .With("current_status", row.status);
  }
  if (!body.is_object())
    return Status::InvalidArgument("the decision is invalid", {{"", "", "expected a JSON object"}});
  std::vector<FieldIssue> issues;
  for (const auto& [key, value] : body.items()) {
    if (key != "decision" && key != "reason" && key != "labels")
      issues.push_back({"/" + key, "", "unknown field"});
  }
  std::string decision;
  if (!body.contains("decision") || !body["decision"].is_string()) {
    issues.push_back({"/decision", "", "one of approved, rejected, information_requested"});
  } else {
    decision = body["decision"];
    if (decision != kApproved && decision != kRejected && decision != kInformationRequested) {
      issues.push_back({"/decision", "", "one of approved, rejected, information_requested"});
      decision.clear();
    }
  }
  RequireText(body, "reason", kTextMaxBytes, &issues);

  Json doc = Json::parse(row.json);
  std::vector<std::string> applied;
  for (const Json& theme : doc["themes"]) applied.push_back(theme.get<std::string>());
  const std::optional<matcher::Date> default_since = matcher::ParseIsoDate(today);
  if (!default_since) throw std::invalid_argument("today is not a date: " + today);
  struct Grant {
    std::string theme, since, until;
  };
  std::vector<Grant> grants;
  if (body.contains("labels") && !body["labels"].is_null()) {
    if (decision != kApproved && !decision.empty()) {
      issues.push_back({"/labels", "", "labels are given with an approval only"});
    } else if (!body["labels"].is_array() || body["labels"].empty()) {
      issues.push_back({"/labels", "", "expected a non-empty array of {theme, since, until}"});
    } else {
      std::set<std::string> seen;
      for (size_t i = 0; i < body["labels"].size(); ++i) {
        const Json& l = body["labels"][i];
        const std::string pointer = "/labels/" + Index(i);
        if (!l.is_object()) {
          issues.push_back({pointer, "", "expected {theme, since, until}"});
          continue;
        }
        const size_t before = issues.size();
        for (const auto& [key, value] : l.items()) {
          if (key != "theme" && key != "since" && key != "until")
            issues.push_back({pointer + "/" + key, "", "unknown field"});
        }
        const std::string theme = Text(l, "theme");
        if (theme.empty()) {
          issues.push_back({pointer + "/theme", "", "required"});
        } else if (std::find(applied.begin(), applied.end(), theme) == applied.end()) {
          issues.push_back({pointer + "/theme", "", "not one of the themes applied for"});
        } else if (!seen.insert(theme).second) {
          issues.push_back({pointer + "/theme", "", "duplicate theme"});
        }
        std::optional<matcher::Date> since = *default_since, until;
        if (l.contains("since") && !l["since"].is_null()) {
          since = l["since"].is_string() ? matcher::ParseIsoDate(l["since"].get<std::string>())
                                         : std::nullopt;
          if (!since) issues.push_back({pointer + "/since", "", "a date YYYY-MM-DD"});
        }
        if (l.contains("until") && !l["until"].is_null()) {
          until = l["until"].is_string() ? matcher::ParseIsoDate(l["until"].get<std::string>())
                                         : std::nullopt;
          if (!until) issues.push_back({pointer + "/until", "", "a date YYYY-MM-DD"});
        } else if (since) {
          until = since->AddMonths(12 * validity_years_);
        }
        if (since && until && !(*since < *until))
          issues.push_back({pointer + "/until", "", "must be after since"});
        if (issues.size() == before && since && until)
          grants.push_back({theme, matcher::FormatIsoDate(*since), matcher::FormatIsoDate(*until)});
      }
    }
  } else if (decision == kApproved) {
    const std::string since = matcher::FormatIsoDate(*default_since);
    const std::string until =
        matcher::FormatIsoDate(default_since->AddMonths(12 * validity_years_));
    for (const std::string& theme : applied) grants.push_back({theme, since, until});
  }
  if (!issues.empty()) return Status::InvalidArgument("the decision is invalid", issues);

  const std::string now = NowRfc3339();
  const std::string by = caller ? caller->key_id : "cli";
  const std::string reason = body["reason"];
  store::LabelApplicationWrite write;
  if (decision == kApproved) {
    std::optional<store::Document> record = store_.GetCollectivite(row.collectivite);
    if (!record)
      throw std::runtime_error("label application " + id + " names an unknown authority");
    Json c = Json::parse(record->json);
    const Json before = LabelsOf(record->json);
    Json labels = before;
    for (const Grant& g : grants) {
      Json label{{"theme", g.theme}, {"since", g.since}, {"until", g.until}};
      auto same = std::find_if(labels.begin(), labels.end(),
                               [&](const Json& l) { return Text(l, "theme") == g.theme; });
      if (same != labels.end()) {
        *same = label;
      } else {
        labels.push_back(label);
      }
      doc["labels"].push_back(label);
    }
    c["labels"] = labels;
    datasets::FieldErrors errors;
    std::optional<matcher::Collectivite> updated =
        datasets::DecodeCollectivite(c, FieldPath(), snapshots_.current()->references(), &errors);
    if (!updated) throw std::runtime_error("authority " + row.collectivite + " no longer decodes");
    write.documents.collectivites.push_back(store_rows::CollectiviteRowFor(*updated));
    // Granted or renewed, whatever the dates: the decision names its application.
    std::set<std::string> held;
    for (const Json& l : before) held.insert(Text(l, "theme"));
    for (const Grant& g : grants) {
      store::LabelHistoryRow h;
      h.collectivite = row.collectivite;
      h.theme = g.theme;
      h.event = held.count(g.theme) ? "renewed" : "granted";
      h.since = g.since;
      h.until = g.until;
      h.at = now;
      h.by = by;
      h.reason = reason;
      h.application = id;
      write.documents.label_history.push_back(std::move(h));
    }
  }
  doc["events"].push_back({{"at", now}, {"by", by}, {"status", decision}, {"reason", reason}});
  const std::string from = row.status;
  row.status = decision;
  row.updated_at = now;
  row.json = doc.dump();
  write.row = row;
  write.expected_status = from;
  if (!store_.WriteLabelApplication(write)) {
    std::optional<store::LabelApplicationRow> now_row = store_.GetLabelApplication(id);
    const std::string current = now_row ? now_row->status : from;
    return Status::Conflict("the application changed meanwhile; it is now " + current,
                            {{"/decision", "", "the application's status is " + current}})
        .With("current_status", current);
  }
  // The next match ranks the authority on its new labels.
  if (decision == kApproved) snapshots_.Refresh();
  *out = View(row);
  return Status::Ok();
}

Status LabelApplications::BeginUpload(const Principal* caller, const std::string& id,
                                      const std::string& content_type, long long length,
                                      const std::string& filename,
                                      std::unique_ptr<ReportUpload>* upload,
                                      std::string* stored_filename, UploadRefusal* refusal) const {
  // The length first: a body over the limit is never read, whoever sends it.
  if (Status status = DocumentFiles::CheckLength(length, refusal); !status.ok()) return status;
  store::LabelApplicationRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  const std::string type = DocumentFiles::AcceptedType(content_type);
  if (type.empty()) {
    *refusal = UploadRefusal::kUnsupportedType;
    return Status::InvalidArgument("an application document is a PDF, an ODT or a DOCX file",
                                   {{"", "Content-Type", DocumentFiles::AcceptedTypes()}});
  }
  // A name to show: no path, no control character.
  std::string name = filename;
  if (name.empty()) name = "document." + DocumentFiles::ExtensionOf(type);
  const bool bad_name =
      name.size() > kFilenameMaxBytes || name.find_first_of("/\\") != std::string::npos ||
      std::any_of(
          name.begin(), name.end(),
          [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"'; }) ||
      name == "." || name == "..";
  if (bad_name) {
    return Status::Malformed("the filename is invalid",
                             {{"", "filename",
                               "at most " + std::to_string(kFilenameMaxBytes) +
                                   " bytes, without '/', '\\\\', '\"' or control characters"}});
  }
  if (store_.ApplicationDocuments(id).size() >= kApplicationMaxDocuments) {
    return Status::Conflict(
        "an application holds at most " + std::to_string(kApplicationMaxDocuments) + " documents",
        {{"", "id", "already " + std::to_string(kApplicationMaxDocuments) + " documents"}});
  }
  *upload = DocumentFiles::Open(dir_, id, type, caller ? caller->key_id : "cli");
  *stored_filename = name;
  return Status::Ok();
}

Status LabelApplications::CommitUpload(ReportUpload& upload, const std::string& filename,
                                       Json* document, UploadRefusal* refusal) const {
  std::string sha256;
  std::filesystem::path path;
  if (Status status = DocumentFiles::Place(dir_, upload, &sha256, &path, refusal); !status.ok())
    return status;
  const std::string id = DocumentFiles::Owner(upload);
  store::ApplicationDocumentRow row{
      id,       sha256,       DocumentFiles::Type(upload),      upload.bytes(),
      filename, NowRfc3339(), DocumentFiles::UploadedBy(upload)};
  if (!store_.AddApplicationDocument(row, kApplicationMaxDocuments)) {
    return Status::Conflict(
        "an application holds at most " + std::to_string(kApplicationMaxDocuments) + " documents",
        {{"", "id", "already " + std::to_string(kApplicationMaxDocuments) + " documents"}});
  }
  // The same file attached twice is recorded once: answer with the record kept.
  for (const store::ApplicationDocumentRow& d : store_.ApplicationDocuments(id)) {
    if (d.sha256 == sha256) row = d;
  }
  *document = {{"sha256", row.sha256},
               {"content_type", row.content_type},
               {"bytes", row.bytes},
               {"filename", row.filename},
               {"uploaded_at", row.uploaded_at}};
  return Status::Ok();
}

Status LabelApplications::Document(const Principal* caller, const std::string& id,
                                   const std::string& sha256, ApplicationDocumentFile* file) const {
  store::LabelApplicationRow row;
  if (Status status = Find(caller, id, &row); !status.ok()) return status;
  for (const store::ApplicationDocumentRow& d : store_.ApplicationDocuments(id)) {
    if (d.sha256 != sha256) continue;
    file->path = DocumentFiles::PathOf(dir_, d.sha256);
    file->content_type = d.content_type;
    file->sha256 = d.sha256;
    file->filename = d.filename;
    return Status::Ok();
  }
  return Status::NotFound("no such document on application \"" + id + "\"",
                          {{"", "sha256", "no document with this SHA-256 on the application"}});
}

Status LabelApplications::History(const Principal* caller, const std::string& collectivite,
                                  Json* out) const {
  if (!store_.GetCollectivite(collectivite) ||
      (caller && !caller->MaySeeCollectivite(collectivite)))
    return UnknownCollectivite(collectivite);
  Json items = Json::array();
  for (const store::LabelHistoryRow& h : store_.LabelHistory(collectivite)) {
    items.push_back({{"seq", h.seq},
                     {"theme", h.theme},
                     {"event", h.event},
                     {"since", h.since.empty() ? Json() : Json(h.since)},
                     {"until", h.until.empty() ? Json() : Json(h.until)},
                     {"at", h.at},
                     {"by", h.by},
                     {"reason", h.reason.empty() ? Json() : Json(h.reason)},
                     {"application", h.application.empty() ? Json() : Json(h.application)}});
  }
  *out = {{"collectivite", collectivite}, {"items", items}};
  return Status::Ok();
}

Status LabelApplications::Expiring(const Principal* caller, const QueryParameters& parameters,
                                   const std::string& today, Json* out) const {
  size_t days = kLabelExpiryNoticeDays;
  std::optional<matcher::Date> as_of = matcher::ParseIsoDate(today);
  std::optional<std::string> only;
  std::vector<FieldIssue> errors;
  for (const auto& [name, value] : parameters) {
    if (name == "days") {
      if (!ParseSize(value, 1, 3650, &days))
        errors.push_back({"", name, "must be an integer between 1 and 3650"});
    } else if (name == "as_of") {
      as_of = matcher::ParseIsoDate(value);
      if (!as_of) errors.push_back({"", name, "a date YYYY-MM-DD"});
    } else if (name == "collectivite") {
      only = value;
    } else {
      errors.push_back({"", name, "unknown query parameter"});
    }
  }
  if (!errors.empty()) return Status::Malformed("invalid query parameters", errors);
  if (!as_of) throw std::invalid_argument("today is not a date: " + today);
  if (caller && caller->role == Role::kCollectivite) {
    if (only && *only != caller->collectivite)
      return Status::Forbidden("a collectivité sees its own labels only",
                               {{"", "collectivite", "must be the key's own collectivité"}});
    only = caller->collectivite;
  }
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  const matcher::Taxonomy& taxonomy = snapshot->catalogue.taxonomy();
  // The open applications of each authority, newest first, by theme.
  std::map<std::pair<std::string, std::string>, std::string> renewal;
  for (const char* status : {kInformationRequested, kUnderReview, kReceived}) {
    store::LabelApplicationQuery q;
    q.status = status;
    q.collectivite = only;
    q.limit = 100000;
    for (const store::LabelApplicationRow& a : store_.ListLabelApplications(q).items) {
      const Json doc = Json::parse(a.json);
      for (const Json& theme : doc["themes"])
        renewal.emplace(std::pair{a.collectivite, theme.get<std::string>()}, a.id);
    }
  }
  struct Item {
    int until;
    std::string collectivite, theme;
    Json json;
  };
  std::vector<Item> found;
  // From the snapshot's decoded records (every write of an authority refreshes it): no document
  // parsed per request.
  for (const matcher::Collectivite& c : snapshot->catalogue.collectivites()) {
    if (only && c.id != *only) continue;
    for (const matcher::Label& label : c.labels) {
      if (!label.until) continue;
      const int left = label.until->days - as_of->days;
      if (left < 0 || left > static_cast<int>(days)) continue;
      auto application = renewal.find({c.id, label.theme});
      found.push_back(
          {label.until->days, c.id, label.theme,
           Json{{"collectivite", c.id},
                {"collectivite_name", c.name},
                {"theme", label.theme},
                {"theme_label",
                 taxonomy.Contains(label.theme) ? taxonomy.Get(label.theme).label : label.theme},
                {"since", matcher::FormatIsoDate(label.since)},
                {"until", matcher::FormatIsoDate(*label.until)},
                {"days_left", left},
                {"renewal_application",
                 application == renewal.end() ? Json() : Json(application->second)}}});
    }
  }
  std::sort(found.begin(), found.end(), [](const Item& a, const Item& b) {
    return std::tie(a.until, a.collectivite, a.theme) < std::tie(b.until, b.collectivite, b.theme);
  });
  Json items = Json::array();
  for (Item& item : found) items.push_back(std::move(item.json));
  *out = {{"days", days}, {"as_of", matcher::FormatIsoDate(*as_of)}, {"items", items}};
  return Status::Ok();
}

std::string LabelApplications::ExportCsv() const {
  std::shared_ptr<const Snapshot> snapshot = snapshots_.current();
  const matcher::Taxonomy& taxonomy = snapshot->catalogue.taxonomy();
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte order mark: Excel reads the file as UTF-8
  out += "collectivite,nom,theme,libelle_theme,evenement,debut,fin,date,par,motif,candidature\r\n";
  std::map<std::string, std::vector<store::LabelHistoryRow>> history;
  for (store::LabelHistoryRow& h : store_.LabelHistory()) history[h.collectivite].push_back(h);
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out += ',';
      out += DocumentFiles::CsvCellOf(cells[i]);
    }
    out += "\r\n";
  };
  auto label_of = [&](const std::string& theme) {
    return taxonomy.Contains(theme) ? taxonomy.Get(theme).label : theme;
  };
  // Each authority in stored order: its labels now ("en_cours"), then every change, oldest first.
  for (const store::Document& doc : store_.Collectivites()) {
    const std::string name = Text(Json::parse(doc.json), "name");
    for (const Json& label : LabelsOf(doc.json)) {
      const std::string theme = Text(label, "theme");
      line({doc.id, name, theme, label_of(theme), "en_cours", Text(label, "since"),
            Text(label, "until"), "", "", "", ""});
    }
    for (const store::LabelHistoryRow& h : history[doc.id]) {
      line({doc.id, name, h.theme, label_of(h.theme), h.event, h.since, h.until, h.at, h.by,
            h.reason, h.application});
    }
  }
  return out;
}

size_t RecordLabelExpiries(store::Store& store, const std::string& today_text) {
  const std::optional<matcher::Date> today = matcher::ParseIsoDate(today_text);
  if (!today) return 0;
  const std::string now = NowRfc3339();
  std::vector<store::LabelHistoryRow> expired;
  std::vector<store::OutboxRow> mail;
  std::map<std::string, std::string> theme_labels;
  for (const store::Document& theme : store.Themes()) {
    const Json t = Json::parse(theme.json, nullptr, /*allow_exceptions=*/false);
    if (t.is_object()) theme_labels[theme.id] = Text(t, "label");
  }
  for (const store::Document& doc : store.Collectivites()) {
    const Json c = Json::parse(doc.json, nullptr, /*allow_exceptions=*/false);
    if (!c.is_object()) continue;
    const std::string name = Text(c, "name");
    for (const Json& label : LabelsOf(doc.json)) {
      const std::string theme = Text(label, "theme");
      const std::string until_text = Text(label, "until");
      const std::optional<matcher::Date> until = matcher::ParseIsoDate(until_text);
      if (theme.empty() || !until) continue;
      const int left = until->days - today->days;
      if (left < 0) {
        store::LabelHistoryRow h;
        h.collectivite = doc.id;
        h.theme = theme;
        h.event = "expired";
        h.since = Text(label, "since");
        h.until = until_text;
        h.at = now;
        h.by = "chore";
        expired.push_back(std::move(h));
      } else if (left <= kLabelExpiryNoticeDays) {
        const std::string theme_label =
            theme_labels.count(theme) && !theme_labels[theme].empty() ? theme_labels[theme] : theme;
        store::OutboxRow m;
        m.id = NewRequestId();
        m.dedupe = "label-expiry:" + doc.id + ":" + theme + ":" + until_text;
        m.event = "label_expiring";
        m.recipient = "collectivite:" + doc.id;
        m.subject =
            "EXPE-CT : votre label « " + theme_label + " » expire le " + FrenchDate(until_text);
        m.body = "Bonjour,\n\nLe label EXPE-CT de " + (name.empty() ? doc.id : name) +
                 " sur le thème « " + theme_label + " » est valable jusqu'au " +
                 FrenchDate(until_text) + " (dans " + std::to_string(left) + " jour" +
                 (left > 1 ? "s" : "") +
                 "). Passé cette date, la collectivité ne sera plus proposée pour les besoins "
                 "de ce thème.\n\nPour le conserver, déposez dès maintenant une demande de "
                 "renouvellement dans EXPE-CT Match (rubrique Candidatures), en indiquant les "
                 "coopérations et les actions menées depuis l'attribution du label.\n\n"
                 "Cordialement,\nLa Délégation pour l'action extérieure des collectivités "
                 "territoriales (DAECT)\n";
        m.created_at = now;
        mail.push_back(std::move(m));
      }
    }
  }
  if (expired.empty() && mail.empty()) return 0;
  size_t queued = 0;
  store.AppendLabelHistory(expired, mail, &queued);
  return queued;
}

}  // namespace expectmatch::service
